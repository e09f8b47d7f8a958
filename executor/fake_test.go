package executor

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// fakeDB is a recording in-memory DynamoDB for the read tests. It serves
// items from tables and indexes with real paging (Limit, a page size standing
// for DynamoDB's 1 MB pages, LastEvaluatedKey, ExclusiveStartKey), parallel
// scan segments and Select=COUNT; it answers BatchGetItem with scripted
// UnprocessedKeys and any call with scripted errors; and it writes each call
// as one line of its log, which tests compare whole.
//
// Write operations are not implemented (the nil embedded interface panics).
type fakeDB struct {
	DynamoDB

	mu     sync.Mutex
	tables map[string]*fakeTable
	log    []string
	calls  int
	// pageSize caps the items one Query or Scan evaluates when Limit does
	// not (0: no cap).
	pageSize int
	// filters evaluate FilterExpressions, by their text; a call with a
	// filter not listed fails.
	filters map[string]func(Item) bool
	// unprocessed leaves, on the n-th BatchGetItem call (from 0), that many
	// of the requested keys (the last ones) unprocessed.
	unprocessed map[int]int
	batchCalls  int
	// fail makes the n-th call (from 0, of any operation) fail.
	fail map[int]error
	// gate, when set, holds every call until it is closed or the call's
	// context ends.
	gate chan struct{}
	// onCall runs at the start of each call with its number.
	onCall func(n int)
}

// fakeTable is a table: its key attributes, indexes and items.
type fakeTable struct {
	pk, sk  string
	indexes map[string]fakeIndex
	items   []Item
}

// fakeIndex is a secondary index; keysOnly projects the keys only.
type fakeIndex struct {
	pk, sk   string
	keysOnly bool
}

func newFake() *fakeDB {
	return &fakeDB{tables: map[string]*fakeTable{}, filters: map[string]func(Item) bool{},
		unprocessed: map[int]int{}, fail: map[int]error{}}
}

// addTable creates a table holding items (sk "" for none).
func (f *fakeDB) addTable(name, pk, sk string, items ...Item) *fakeTable {
	t := &fakeTable{pk: pk, sk: sk, indexes: map[string]fakeIndex{}, items: items}
	slices.SortStableFunc(t.items, func(a, b Item) int {
		if c := compareTotal(a[pk], b[pk]); c != 0 {
			return c
		}
		return compareTotal(a[sk], b[sk])
	})
	f.tables[name] = t
	return t
}

// calls returns the log and empties it.
func (f *fakeDB) takeLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	l := f.log
	f.log = nil
	return l
}

// begin starts a call: it counts and logs it, runs the hooks, waits at the
// gate and returns the scripted error, if any.
func (f *fakeDB) begin(ctx context.Context, line string) error {
	f.mu.Lock()
	n := f.calls
	f.calls++
	f.log = append(f.log, line)
	hook, gate, err := f.onCall, f.gate, f.fail[n]
	f.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return err
}

var errFake = errors.New("fake: invalid request")

func fakeCheck(rcc types.ReturnConsumedCapacity, names map[string]string, values map[string]types.AttributeValue) error {
	if rcc != types.ReturnConsumedCapacityTotal {
		return fmt.Errorf("%w: ReturnConsumedCapacity is %q, not TOTAL", errFake, rcc)
	}
	if names != nil && len(names) == 0 {
		return fmt.Errorf("%w: empty ExpressionAttributeNames", errFake)
	}
	if values != nil && len(values) == 0 {
		return fmt.Errorf("%w: empty ExpressionAttributeValues", errFake)
	}
	return nil
}

func (f *fakeDB) GetItem(ctx context.Context, in *dynamodb.GetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error) {
	line := "GetItem " + aws.ToString(in.TableName) + " key=" + fakeKeyText(in.Key) + fakeOpt(" proj=", in.ProjectionExpression) + fakeFlag(" consistent", aws.ToBool(in.ConsistentRead))
	if err := f.begin(ctx, line); err != nil {
		return nil, err
	}
	if err := fakeCheck(in.ReturnConsumedCapacity, in.ExpressionAttributeNames, nil); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.table(in.TableName)
	if err != nil {
		return nil, err
	}
	out := &dynamodb.GetItemOutput{ConsumedCapacity: fakeCapacity(in.TableName, 0.5)}
	if it := t.find(in.Key); it != nil {
		out.Item = fakeProject(it, in.ProjectionExpression, in.ExpressionAttributeNames)
	}
	return out, nil
}

func (f *fakeDB) BatchGetItem(ctx context.Context, in *dynamodb.BatchGetItemInput, _ ...func(*dynamodb.Options)) (*dynamodb.BatchGetItemOutput, error) {
	if len(in.RequestItems) != 1 {
		return nil, fmt.Errorf("%w: BatchGetItem on %d tables", errFake, len(in.RequestItems))
	}
	var table string
	var ka types.KeysAndAttributes
	for table, ka = range in.RequestItems {
	}
	keys := make([]string, len(ka.Keys))
	for i, k := range ka.Keys {
		keys[i] = fakeKeyText(k)
	}
	keyList := strings.Join(keys, " ")
	if len(keys) > 4 {
		keyList = fmt.Sprintf("%d keys %s … %s", len(keys), keys[0], keys[len(keys)-1])
	}
	line := "BatchGetItem " + table + " keys=" + keyList + fakeOpt(" proj=", ka.ProjectionExpression) + fakeFlag(" consistent", aws.ToBool(ka.ConsistentRead))
	if err := f.begin(ctx, line); err != nil {
		return nil, err
	}
	if err := fakeCheck(in.ReturnConsumedCapacity, ka.ExpressionAttributeNames, nil); err != nil {
		return nil, err
	}
	if len(ka.Keys) > 100 || len(ka.Keys) == 0 {
		return nil, fmt.Errorf("%w: BatchGetItem with %d keys", errFake, len(ka.Keys))
	}
	seen := map[string]bool{}
	for _, k := range ka.Keys {
		h := keyHash(k)
		if seen[h] {
			return nil, fmt.Errorf("%w: Provided list of item keys contains duplicates", errFake)
		}
		seen[h] = true
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.table(&table)
	if err != nil {
		return nil, err
	}
	n := f.batchCalls
	f.batchCalls++
	process := ka.Keys
	out := &dynamodb.BatchGetItemOutput{Responses: map[string][]Item{table: {}}}
	if u := min(f.unprocessed[n], len(ka.Keys)); u > 0 {
		process = ka.Keys[:len(ka.Keys)-u]
		out.UnprocessedKeys = map[string]types.KeysAndAttributes{table: {Keys: ka.Keys[len(ka.Keys)-u:],
			ProjectionExpression: ka.ProjectionExpression, ExpressionAttributeNames: ka.ExpressionAttributeNames}}
	}
	for _, k := range process {
		if it := t.find(k); it != nil {
			out.Responses[table] = append(out.Responses[table], fakeProject(it, ka.ProjectionExpression, ka.ExpressionAttributeNames))
		}
	}
	// Like DynamoDB, answer in no particular order: here, reversed.
	slices.Reverse(out.Responses[table])
	out.ConsumedCapacity = []types.ConsumedCapacity{*fakeCapacity(&table, 0.5*float64(len(out.Responses[table])))}
	return out, nil
}

func (f *fakeDB) Query(ctx context.Context, in *dynamodb.QueryInput, _ ...func(*dynamodb.Options)) (*dynamodb.QueryOutput, error) {
	line := "Query " + aws.ToString(in.TableName) + fakeOpt(" index=", in.IndexName) +
		" key=" + aws.ToString(in.KeyConditionExpression) + " pk=" + fakeValueText(in.ExpressionAttributeValues[":pk"]) +
		fakeOpt(" filter=", in.FilterExpression) + fakeOpt(" proj=", in.ProjectionExpression) +
		fakeFlag(" select=COUNT", in.Select == types.SelectCount) + fakeFlag(" desc", in.ScanIndexForward != nil && !*in.ScanIndexForward) +
		fakeFlag(" consistent", aws.ToBool(in.ConsistentRead)) +
		fmt.Sprintf(" limit=%d start=%s", aws.ToInt32(in.Limit), fakeStart(in.ExclusiveStartKey))
	if err := f.begin(ctx, line); err != nil {
		return nil, err
	}
	if err := fakeCheck(in.ReturnConsumedCapacity, in.ExpressionAttributeNames, in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.table(in.TableName)
	if err != nil {
		return nil, err
	}
	pk, sk, keys, err := t.keysOf(in.IndexName)
	if err != nil {
		return nil, err
	}
	cond, err := fakeKeyCondition(aws.ToString(in.KeyConditionExpression), in.ExpressionAttributeNames, in.ExpressionAttributeValues, pk, sk)
	if err != nil {
		return nil, err
	}
	var cands []Item
	for _, it := range t.view(in.IndexName) {
		if cond(it) {
			cands = append(cands, it)
		}
	}
	slices.SortStableFunc(cands, func(a, b Item) int { return compareTotal(a[sk], b[sk]) })
	if in.ScanIndexForward != nil && !*in.ScanIndexForward {
		slices.Reverse(cands)
	}
	p, err := f.page(cands, keys, in.ExclusiveStartKey, aws.ToInt32(in.Limit), in.FilterExpression, in.Select)
	if err != nil {
		return nil, err
	}
	return &dynamodb.QueryOutput{Items: fakeProjectAll(p.items, in.ProjectionExpression, in.ExpressionAttributeNames),
		Count: p.count, ScannedCount: p.scanned, LastEvaluatedKey: p.last, ConsumedCapacity: fakeCapacity(in.TableName, 0.5)}, nil
}

func (f *fakeDB) Scan(ctx context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	seg := ""
	if in.TotalSegments != nil {
		seg = fmt.Sprintf(" segment=%d/%d", aws.ToInt32(in.Segment), aws.ToInt32(in.TotalSegments))
	}
	line := "Scan " + aws.ToString(in.TableName) + fakeOpt(" index=", in.IndexName) + seg +
		fakeOpt(" filter=", in.FilterExpression) + fakeOpt(" proj=", in.ProjectionExpression) +
		fakeFlag(" select=COUNT", in.Select == types.SelectCount) + fakeFlag(" consistent", aws.ToBool(in.ConsistentRead)) +
		fmt.Sprintf(" limit=%d start=%s", aws.ToInt32(in.Limit), fakeStart(in.ExclusiveStartKey))
	if err := f.begin(ctx, line); err != nil {
		return nil, err
	}
	if err := fakeCheck(in.ReturnConsumedCapacity, in.ExpressionAttributeNames, in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	t, err := f.table(in.TableName)
	if err != nil {
		return nil, err
	}
	_, _, keys, err := t.keysOf(in.IndexName)
	if err != nil {
		return nil, err
	}
	var cands []Item
	for _, it := range t.view(in.IndexName) {
		if in.TotalSegments == nil || fakeSegment(it[t.pk], *in.TotalSegments) == *in.Segment {
			cands = append(cands, it)
		}
	}
	p, err := f.page(cands, keys, in.ExclusiveStartKey, aws.ToInt32(in.Limit), in.FilterExpression, in.Select)
	if err != nil {
		return nil, err
	}
	return &dynamodb.ScanOutput{Items: fakeProjectAll(p.items, in.ProjectionExpression, in.ExpressionAttributeNames),
		Count: p.count, ScannedCount: p.scanned, LastEvaluatedKey: p.last, ConsumedCapacity: fakeCapacity(in.TableName, 0.5)}, nil
}

func (f *fakeDB) table(name *string) (*fakeTable, error) {
	t, ok := f.tables[aws.ToString(name)]
	if !ok {
		return nil, &types.ResourceNotFoundException{Message: aws.String("Requested resource not found")}
	}
	return t, nil
}

// find returns the item with key.
func (t *fakeTable) find(key Item) Item {
	for _, it := range t.items {
		if value.Equal(it[t.pk], key[t.pk]) && (t.sk == "" || value.Equal(it[t.sk], key[t.sk])) {
			return it
		}
	}
	return nil
}

// keysOf returns the partition and sort key of the table or index, and the
// attributes of its LastEvaluatedKey.
func (t *fakeTable) keysOf(index *string) (pk, sk string, keys []string, err error) {
	base := []string{t.pk}
	if t.sk != "" {
		base = append(base, t.sk)
	}
	if index == nil {
		return t.pk, t.sk, base, nil
	}
	ix, ok := t.indexes[*index]
	if !ok {
		return "", "", nil, fmt.Errorf("%w: no index %s", errFake, *index)
	}
	keys = []string{ix.pk}
	if ix.sk != "" {
		keys = append(keys, ix.sk)
	}
	for _, k := range base {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return ix.pk, ix.sk, keys, nil
}

// view returns the items of the table, or the projected entries of an index
// (items lacking the index keys are not in it).
func (t *fakeTable) view(index *string) []Item {
	if index == nil {
		return t.items
	}
	ix := t.indexes[*index]
	var out []Item
	for _, it := range t.items {
		if it[ix.pk] == nil || (ix.sk != "" && it[ix.sk] == nil) {
			continue
		}
		if !ix.keysOnly {
			out = append(out, it)
			continue
		}
		e := Item{}
		for _, k := range []string{t.pk, t.sk, ix.pk, ix.sk} {
			if k != "" {
				e[k] = it[k]
			}
		}
		out = append(out, e)
	}
	slices.SortStableFunc(out, func(a, b Item) int {
		if c := compareTotal(a[ix.pk], b[ix.pk]); c != 0 {
			return c
		}
		return compareTotal(a[ix.sk], b[ix.sk])
	})
	return out
}

type fakePage struct {
	items          []Item
	count, scanned int32
	last           Item
}

// page evaluates cands from after start, at most limit (or the fake's page
// size), keeping those passing the filter. As DynamoDB does, it returns a
// LastEvaluatedKey whenever it stopped at the limit, even if nothing is left.
func (f *fakeDB) page(cands []Item, keys []string, start Item, limit int32, filter *string, sel types.Select) (fakePage, error) {
	var keep func(Item) bool
	if filter != nil {
		var ok bool
		if keep, ok = f.filters[*filter]; !ok {
			return fakePage{}, fmt.Errorf("%w: unknown filter %q", errFake, *filter)
		}
	}
	begin := 0
	if start != nil {
		begin = -1
		for i, it := range cands {
			match := true
			for _, k := range keys {
				if !value.Equal(it[k], start[k]) {
					match = false
					break
				}
			}
			if match {
				begin = i + 1
				break
			}
		}
		if begin < 0 {
			return fakePage{}, fmt.Errorf("%w: ExclusiveStartKey %s not found", errFake, fakeKeyText(start))
		}
	}
	n := len(cands) - begin
	if limit > 0 {
		n = min(n, int(limit))
	}
	if f.pageSize > 0 {
		n = min(n, f.pageSize)
	}
	var p fakePage
	for _, it := range cands[begin : begin+n] {
		p.scanned++
		if keep == nil || keep(it) {
			p.count++
			if sel != types.SelectCount {
				p.items = append(p.items, it)
			}
		}
	}
	if n > 0 && (begin+n < len(cands) || (limit > 0 && n == int(limit))) {
		last := cands[begin+n-1]
		p.last = Item{}
		for _, k := range keys {
			p.last[k] = last[k]
		}
	}
	return p, nil
}

var fakeKeyCondRE = regexp.MustCompile(`^(#?\w+) = (:\w+)(?: AND (?:(#?\w+) (=|<|<=|>|>=) (:\w+)|(#?\w+) BETWEEN (:\w+) AND (:\w+)|begins_with\((#?\w+), (:\w+)\)))?$`)

// parseKeyCondition understands the key conditions the planner writes.
func fakeKeyCondition(expr string, names map[string]string, values map[string]types.AttributeValue, pk, sk string) (func(Item) bool, error) {
	m := fakeKeyCondRE.FindStringSubmatch(expr)
	if m == nil {
		return nil, fmt.Errorf("%w: key condition %q", errFake, expr)
	}
	name := func(s string) string {
		if n, ok := names[s]; ok {
			return n
		}
		return s
	}
	if name(m[1]) != pk || values[m[2]] == nil {
		return nil, fmt.Errorf("%w: key condition %q on %s", errFake, expr, pk)
	}
	pv := values[m[2]]
	var skCond func(v types.AttributeValue) bool
	switch {
	case m[3] != "":
		op, v := m[4], values[m[5]]
		skCond = func(x types.AttributeValue) bool {
			c, ok := value.Compare(x, v)
			return ok && map[string]bool{"=": c == 0, "<": c < 0, "<=": c <= 0, ">": c > 0, ">=": c >= 0}[op]
		}
	case m[6] != "":
		lo, hi := values[m[7]], values[m[8]]
		skCond = func(x types.AttributeValue) bool {
			c1, ok1 := value.Compare(x, lo)
			c2, ok2 := value.Compare(x, hi)
			return ok1 && ok2 && c1 >= 0 && c2 <= 0
		}
	case m[9] != "":
		p := values[m[10]].(*types.AttributeValueMemberS).Value
		skCond = func(x types.AttributeValue) bool {
			s, ok := x.(*types.AttributeValueMemberS)
			return ok && strings.HasPrefix(s.Value, p)
		}
	}
	return func(it Item) bool {
		return value.Equal(it[pk], pv) && (skCond == nil || skCond(it[sk]))
	}, nil
}

// segmentOf assigns an item to a scan segment by its partition key.
func fakeSegment(pk types.AttributeValue, total int32) int32 {
	h := fnv.New32a()
	h.Write([]byte(value.HashKey(pk)))
	return int32(h.Sum32() % uint32(total))
}

func fakeProjectAll(items []Item, proj *string, names map[string]string) []Item {
	if proj == nil {
		return items
	}
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = fakeProject(it, proj, names)
	}
	return out
}

// project keeps the top-level attributes a ProjectionExpression names.
func fakeProject(it Item, proj *string, names map[string]string) Item {
	if proj == nil {
		return it
	}
	out := Item{}
	for _, part := range strings.Split(*proj, ",") {
		part = strings.TrimSpace(part)
		if i := strings.IndexAny(part, ".["); i >= 0 {
			part = part[:i]
		}
		if n, ok := names[part]; ok {
			part = n
		}
		if v, ok := it[part]; ok {
			out[part] = v
		}
	}
	return out
}

func fakeCapacity(table *string, units float64) *types.ConsumedCapacity {
	return &types.ConsumedCapacity{TableName: table, CapacityUnits: aws.Float64(units)}
}

func fakeOpt(prefix string, s *string) string {
	if s == nil {
		return ""
	}
	return prefix + *s
}

func fakeFlag(s string, on bool) string {
	if on {
		return s
	}
	return ""
}

func fakeStart(k Item) string {
	if k == nil {
		return "-"
	}
	return fakeKeyText(k)
}

// keyText renders a key or item: {a=S:x,b=N:1}.
func fakeKeyText(k Item) string {
	names := make([]string, 0, len(k))
	for n := range k {
		names = append(names, n)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = n + "=" + fakeValueText(k[n])
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// avText renders a value as TYPE:value.
func fakeValueText(v types.AttributeValue) string {
	switch x := v.(type) {
	case nil:
		return "-"
	case *types.AttributeValueMemberS:
		return "S:" + x.Value
	case *types.AttributeValueMemberN:
		return "N:" + x.Value
	case *types.AttributeValueMemberB:
		return "B:" + hex.EncodeToString(x.Value)
	case *types.AttributeValueMemberBOOL:
		return fmt.Sprintf("BOOL:%v", x.Value)
	case *types.AttributeValueMemberNULL:
		return "NULL"
	case *types.AttributeValueMemberSS:
		return "SS:[" + strings.Join(x.Value, " ") + "]"
	case *types.AttributeValueMemberNS:
		return "NS:[" + strings.Join(x.Value, " ") + "]"
	case *types.AttributeValueMemberBS:
		parts := make([]string, len(x.Value))
		for i, b := range x.Value {
			parts[i] = hex.EncodeToString(b)
		}
		return "BS:[" + strings.Join(parts, " ") + "]"
	case *types.AttributeValueMemberL:
		parts := make([]string, len(x.Value))
		for i, e := range x.Value {
			parts[i] = fakeValueText(e)
		}
		return "L:[" + strings.Join(parts, " ") + "]"
	case *types.AttributeValueMemberM:
		return "M:" + fakeKeyText(x.Value)
	}
	return "?"
}
