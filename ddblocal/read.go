package ddblocal

import (
	"bytes"
	"encoding/json"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	bolt "go.etcd.io/bbolt"

	"github.com/ddbsql/ddbsql/ddblocal/expr"
	"github.com/ddbsql/ddbsql/value"
)

// maxPageBytes is DynamoDB's limit on the data one Query or Scan page
// reads: evaluation stops once the items read reach 1 MB.
const maxPageBytes = 1 << 20

type readInput struct {
	legacy
	exprInput
	TableName              string `json:"TableName"`
	IndexName              string `json:"IndexName"`
	FilterExpression       string `json:"FilterExpression"`
	ProjectionExpression   string `json:"ProjectionExpression"`
	Select                 string `json:"Select"`
	Limit                  *int   `json:"Limit"`
	ExclusiveStartKey      avMap  `json:"ExclusiveStartKey"`
	ConsistentRead         bool   `json:"ConsistentRead"`
	ReturnConsumedCapacity string `json:"ReturnConsumedCapacity"`
}

type queryInput struct {
	readInput
	KeyConditionExpression *string `json:"KeyConditionExpression"`
	ScanIndexForward       *bool   `json:"ScanIndexForward"`
}

type scanInput struct {
	readInput
	Segment       *int `json:"Segment"`
	TotalSegments *int `json:"TotalSegments"`
}

type readOutput struct {
	Items            *[]avMap          `json:"Items,omitempty"` // [] when nothing matched; absent for Select=COUNT
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey avMap             `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// readPlan is a validated Query or Scan, ready to run against the storage.
type readPlan struct {
	in      *readInput
	filter  *expr.Condition
	proj    *expr.Projection
	count   bool // Select=COUNT
	fetch   bool // return table items, not the index's projection
	limit   int
	reverse bool
	// checkStartInRange refuses an ExclusiveStartKey outside [lo, hi), as
	// a Query does (a Scan segment accepts any start key).
	checkStartInRange bool
	// single: at most one item can match, so no LastEvaluatedKey is given.
	single bool
	// endSort, when set, is the inclusive bound of the sort key (sortKey)
	// that the read goes towards: a page ending on an item with that sort
	// key has nothing after it, and DynamoDB Local then gives no
	// LastEvaluatedKey.
	endSort types.AttributeValue
	sortKey string
	// lo and hi bound the storage keys read: lo inclusive, hi exclusive
	// (nil: unbounded).
	lo, hi []byte
}

// prepare validates what Query and Scan share; the placeholders used by the
// key condition are already in used. pending is the key condition's error
// that DynamoDB Local reports right after the FilterExpression's (see
// expr.KeyCondition.Pending), nil for a Scan.
func (in *readInput) prepare(a expr.Attrs, used *expr.Used, pending error) (*readPlan, error) {
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	p := &readPlan{in: in}
	if in.Limit != nil {
		if *in.Limit < 1 {
			return nil, validation("Limit must be greater than or equal to 1")
		}
		p.limit = *in.Limit
	}
	switch in.Select {
	case "", "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "COUNT":
		if in.ProjectionExpression != "" && in.Select == "COUNT" {
			return nil, validation("Cannot specify the ProjectionExpression when choosing to get only the Count")
		}
		if in.ProjectionExpression != "" && in.Select != "" {
			return nil, validation("Cannot specify the AttributesToGet or ProjectionExpression when choosing to get " + in.Select)
		}
	case "SPECIFIC_ATTRIBUTES":
	default:
		return nil, validation("1 validation error detected: Value '" + in.Select + "' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")
	}
	p.count = in.Select == "COUNT"
	if in.FilterExpression != "" {
		f, err := expr.ParseCondition(in.FilterExpression, "FilterExpression", a, used)
		if err != nil {
			return nil, exprError(err)
		}
		p.filter = f
	}
	if pending != nil {
		return nil, exprError(pending)
	}
	proj, err := parseProjection(in.ProjectionExpression, a, used)
	if err != nil {
		return nil, err
	}
	p.proj = proj
	if err := used.CheckUnused(a); err != nil {
		return nil, exprError(err)
	}
	return p, nil
}

// translateLegacy refuses legacy parameters mixed with expressions (kce is
// a Query's KeyConditionExpression, name then value) and turns
// AttributesToGet into a ProjectionExpression.
func (in *readInput) translateLegacy(kce ...string) error {
	params := append([]string{"ProjectionExpression", in.ProjectionExpression, "FilterExpression", in.FilterExpression}, kce...)
	if err := in.legacy.check(params...); err != nil {
		return err
	}
	if err := in.legacy.refuse(map[string]bool{"AttributesToGet": true}); err != nil {
		return err
	}
	src, err := in.legacy.projection(&in.exprInput)
	if src != "" {
		in.ProjectionExpression = src
	}
	return err
}

// resolveIndex finds the index read (nil for the table) and checks the
// settings that depend on it.
func (p *readPlan) resolveIndex(t *tableMeta) (*indexMeta, error) {
	in := p.in
	if in.IndexName == "" {
		if in.Select == "ALL_PROJECTED_ATTRIBUTES" {
			return nil, validation("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is not supported for a table; it is only supported for indexes")
		}
		p.fetch = true
		return nil, nil
	}
	ix := t.index(in.IndexName)
	if ix == nil {
		return nil, validation("The table does not have the specified index: " + in.IndexName)
	}
	if ix.Global && p.proj != nil && ix.Projection.ProjectionType != "ALL" {
		var missing []string
		for _, path := range p.proj.Paths() {
			if name := path[0].Name; !ix.projects(t, name) && !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return nil, validation("One or more parameter values were invalid: Global secondary index " + ix.Name + " does not project [" + strings.Join(missing, ", ") + "]")
		}
	}
	if !ix.Global && p.proj != nil && ix.Projection.ProjectionType != "ALL" {
		// A local secondary index reads the attributes it does not
		// project from the table.
		for _, path := range p.proj.Paths() {
			if !ix.projects(t, path[0].Name) {
				p.fetch = true
			}
		}
	}
	if ix.Global && in.ConsistentRead {
		return nil, validation("Consistent reads are not supported on global secondary indexes")
	}
	if in.Select == "ALL_ATTRIBUTES" && ix.Projection.ProjectionType != "ALL" {
		if ix.Global {
			return nil, validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index " + ix.Name + " because its projection type is not ALL")
		}
		p.fetch = true // an LSI reads the other attributes from the table
	}
	if ix.Projection.ProjectionType == "ALL" {
		p.fetch = true
	}
	return ix, nil
}

func (db *DB) query(body []byte) (any, error) {
	var in queryInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := in.translateLegacy("KeyConditionExpression", aws.ToString(in.KeyConditionExpression)); err != nil {
		return nil, err
	}
	if in.KeyConditionExpression == nil {
		return nil, validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	if *in.KeyConditionExpression == "" {
		return nil, validation("Invalid KeyConditionExpression: The expression can not be empty;")
	}
	a, used := in.attrs(), expr.NewUsed()
	var out readOutput
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		t, err := db.table(tx, in.TableName)
		if err != nil {
			return err
		}
		ks := t.Key
		if in.IndexName != "" {
			ix := t.index(in.IndexName)
			if ix == nil {
				return validation("The table does not have the specified index: " + in.IndexName)
			}
			ks = ix.Key
		}
		kc, err := expr.ParseKeyCondition(*in.KeyConditionExpression, a, used, ks.HashKey, ks.HashType, ks.RangeKey, ks.RangeType)
		if err != nil {
			return exprError(err)
		}
		if emptyKeyValue(kc.PartitionValue) {
			return validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " + emptyKind(kc.PartitionValue) + " value. Key: " + ks.HashKey)
		}
		if in.Select == "ALL_PROJECTED_ATTRIBUTES" && in.IndexName == "" {
			return validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
		}
		p, err := in.prepare(a, used, kc.Pending())
		if err != nil {
			return err
		}
		if p.filter != nil {
			for _, path := range p.filter.Paths() {
				if name := path[0].Name; name == ks.HashKey || name == ks.RangeKey {
					return validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " + name)
				}
			}
		}
		ix, err := p.resolveIndex(t)
		if err != nil {
			return err
		}
		p.reverse = in.ScanIndexForward != nil && !*in.ScanIndexForward
		p.lo, p.hi = keyRange(kc)
		p.checkStartInRange = true
		// A partition of a table without a sort key holds one item, so a
		// Query of it never has more to page through.
		p.single = ix == nil && t.Key.RangeKey == ""
		if sc := kc.Sort; sc != nil {
			p.sortKey = ks.RangeKey
			switch {
			case !p.reverse && sc.Op == "BETWEEN":
				p.endSort = sc.Values[1]
			case !p.reverse && sc.Op == "<=", p.reverse && (sc.Op == "BETWEEN" || sc.Op == ">="):
				p.endSort = sc.Values[0]
			}
		}
		out, err = db.run(tx, t, ix, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// keyRange converts a key condition into the range of storage keys holding
// exactly the matching items (of the table or the index, whose keys have the
// same layout up to the sort key).
func keyRange(kc *expr.KeyCondition) (lo, hi []byte) {
	p := partitionPrefix(kc.PartitionValue)
	end := prefixEnd(p)
	s := kc.Sort
	if s == nil {
		return p, end
	}
	at := func(v types.AttributeValue) []byte { return appendKeyValue(bytes.Clone(p), v) }
	switch s.Op {
	case "=":
		k := at(s.Values[0])
		return k, prefixEnd(k)
	case "<":
		return p, at(s.Values[0])
	case "<=":
		return p, prefixEnd(at(s.Values[0]))
	case ">":
		return prefixEnd(at(s.Values[0])), end
	case ">=":
		return at(s.Values[0]), end
	case "BETWEEN":
		return at(s.Values[0]), prefixEnd(at(s.Values[1]))
	case "begins_with":
		var raw string
		switch v := s.Values[0].(type) {
		case *types.AttributeValueMemberS:
			raw = v.Value
		case *types.AttributeValueMemberB:
			raw = string(v.Value)
		}
		k := appendEscapedPrefix(bytes.Clone(p), raw)
		return k, prefixEnd(k)
	}
	return p, end
}

// prefixEnd returns the least byte string greater than every string that
// begins with b (nil if there is none).
func prefixEnd(b []byte) []byte {
	end := bytes.Clone(b)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xFF {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

func (db *DB) scan(body []byte) (any, error) {
	var in scanInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := in.translateLegacy(); err != nil {
		return nil, err
	}
	a, used := in.attrs(), expr.NewUsed()
	p, err := in.prepare(a, used, nil)
	if err != nil {
		return nil, err
	}
	switch {
	case in.Segment != nil && in.TotalSegments == nil:
		return nil, validation("If segment is specified, total segment must also be specified")
	case in.TotalSegments != nil && in.Segment == nil:
		return nil, validation("If total segments is specified, a particular segment must also be specified for this request")
	case in.TotalSegments != nil:
		total, seg := *in.TotalSegments, *in.Segment
		if total < 1 || total > 1000000 {
			return nil, validation("1 validation error detected: Value '" + strconv.Itoa(total) + "' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000")
		}
		if seg < 0 || seg >= total {
			return nil, validation("1 validation error detected: Value '" + strconv.Itoa(seg) + "' at 'segment' failed to satisfy constraint: Member must have value less than or equal to " + strconv.Itoa(total-1))
		}
		p.lo, p.hi = segmentRange(seg, total)
	}
	var out readOutput
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t, err := db.table(tx, in.TableName)
		if err != nil {
			return err
		}
		ix, err := p.resolveIndex(t)
		if err != nil {
			return err
		}
		out, err = db.run(tx, t, ix, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// segmentRange is the storage key range of parallel Scan segment seg of
// total, as DynamoDB Local divides the hash space: segment i begins at
// i·⌊max/total⌋ and the last one runs to the end (max is the largest
// partition hash, 2^160-1).
func segmentRange(seg, total int) (lo, hi []byte) {
	maxHash := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 8*hashLen), big.NewInt(1))
	step := new(big.Int).Div(maxHash, big.NewInt(int64(total)))
	bound := func(i int) []byte {
		if i >= total {
			return nil
		}
		b := make([]byte, hashLen)
		return new(big.Int).Mul(step, big.NewInt(int64(i))).FillBytes(b)
	}
	return bound(seg), bound(seg + 1)
}

// run reads the items of p's key range from the table or index ix,
// applying ExclusiveStartKey, Limit, the 1 MB page limit, the filter and
// the projection.
func (db *DB) run(tx *bolt.Tx, t *tableMeta, ix *indexMeta, p *readPlan) (readOutput, error) {
	in := p.in
	out := readOutput{}
	var found []avMap
	b := tableBucket(tx, t)
	items := b.Bucket(itemsBucket)
	src := items
	if ix != nil {
		src = b.Bucket(indexBucket(ix.Name))
	}
	start, err := p.startAfter(t, ix)
	if err != nil {
		return out, err
	}
	if start != nil && p.checkStartInRange && (bytes.Compare(start, p.lo) < 0 || (p.hi != nil && bytes.Compare(start, p.hi) >= 0)) {
		return out, validation("The provided starting key does not match the range key predicate")
	}
	c := src.Cursor()
	var k, v []byte
	if !p.reverse {
		seek := p.lo
		if start != nil && (seek == nil || bytes.Compare(start, seek) >= 0) {
			seek = start
		}
		if seek == nil {
			k, v = c.First()
		} else {
			k, v = c.Seek(seek)
		}
		if start != nil && bytes.Equal(k, start) {
			k, v = c.Next()
		}
	} else {
		// Position at the last key below the upper bound (or the start key).
		bound := p.hi
		if start != nil && (bound == nil || bytes.Compare(start, bound) < 0) {
			bound = start
		}
		if bound == nil {
			k, v = c.Last()
		} else if k, v = c.Seek(bound); k == nil {
			k, v = c.Last()
		} else {
			k, v = c.Prev()
		}
	}
	scannedBytes := 0
	var last item
	for ; k != nil; func() {
		if p.reverse {
			k, v = c.Prev()
		} else {
			k, v = c.Next()
		}
	}() {
		if !p.reverse && p.hi != nil && bytes.Compare(k, p.hi) >= 0 {
			break
		}
		if p.reverse && p.lo != nil && bytes.Compare(k, p.lo) < 0 {
			break
		}
		raw := v
		if ix != nil {
			raw = items.Get(v)
			if raw == nil {
				continue
			}
		}
		it, err := decodeItem(raw)
		if err != nil {
			return out, err
		}
		size := itemSize(it)
		if ix != nil && !p.fetch {
			it = ix.project(t, it)
		}
		scannedBytes += size
		out.ScannedCount++
		last = it
		keep := true
		if p.filter != nil {
			if keep, err = p.filter.Eval(it); err != nil {
				return out, exprError(err)
			}
		}
		if keep {
			out.Count++
			if !p.count {
				if p.proj != nil {
					it = p.proj.Apply(it)
				}
				found = append(found, avMap(it))
			}
		}
		if p.single {
			break
		}
		if (p.limit > 0 && out.ScannedCount == p.limit) || scannedBytes >= maxPageBytes {
			if p.endSort == nil || !value.Equal(last[p.sortKey], p.endSort) {
				out.LastEvaluatedKey = p.lastKey(t, ix, last)
			}
			break
		}
	}
	if !p.count {
		if found == nil {
			found = []avMap{}
		}
		out.Items = &found
	}
	cap := newCapacity(t.Name)
	u := readUnits(scannedBytes, in.ConsistentRead)
	if ix != nil {
		cap.addIndex(ix, u)
	} else {
		cap.addTable(u)
	}
	out.ConsumedCapacity = cap.report(in.ReturnConsumedCapacity)
	return out, nil
}

// startAfter converts ExclusiveStartKey into the storage key to continue
// after (nil when absent).
func (p *readPlan) startAfter(t *tableMeta, ix *indexMeta) ([]byte, error) {
	esk := item(p.in.ExclusiveStartKey)
	if len(esk) == 0 {
		return nil, nil
	}
	want := 1
	if t.Key.RangeKey != "" {
		want++
	}
	if ix == nil && len(esk) != want {
		return nil, validation("Exclusive Start Key must have same size as table's key schema")
	}
	if err := checkKeyAttrs(t.Key, esk, "The provided starting key is invalid: The provided key element does not match the schema"); err != nil {
		return nil, err
	}
	if ix == nil {
		return t.Key.itemKey(esk), nil
	}
	if err := checkKeyAttrs(ix.Key, esk, "The provided starting key is invalid: The provided key element does not match the schema"); err != nil {
		return nil, err
	}
	if len(esk) != len(keyOf(esk, t.Key, ix.Key)) {
		return nil, validation("The provided starting key is invalid: The provided key element does not match the schema")
	}
	return ix.entryKey(t, esk), nil
}

// lastKey is the LastEvaluatedKey after item it: the table's key, plus the
// index's key when reading an index.
func (p *readPlan) lastKey(t *tableMeta, ix *indexMeta, it item) avMap {
	if ix == nil {
		return avMap(keyOf(it, t.Key))
	}
	return avMap(keyOf(it, t.Key, ix.Key))
}
