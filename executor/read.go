package executor

import (
	"context"
	"errors"
	"io"
	"maps"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
	"github.com/ddbsql/ddbsql/value"
)

// A Read streams items in bounded memory. Its calls are organised as pagers
// — one per stream of pages: the Query of one partition value, one scan
// segment, one chunk of keys — and run by a pageStream: one pager after
// another on the consumer's goroutine when there is a single stream (no
// call is made before the consumer asks for rows, so a LIMIT reads no page
// too many), or by a bounded set of workers that hand pages over a small
// channel when there are several. Nothing starts before the first Next,
// and Close cancels every call in flight and waits for every worker.

// countColumn is the attribute of the single row a Select=COUNT read yields.
const countColumn = "count"

// openRead returns the items of a Read node, dispatching on its access path.
func (e *Executor) openRead(ctx context.Context, env *env, n *planner.Read) (RowIter, error) {
	if env.stats.onProgress == nil {
		env.stats.onProgress = e.opts.OnProgress
	}
	rs := env.stats.read(n)
	var pagers []pager
	var err error
	switch n.Path {
	case planner.GetItem:
		pagers, err = e.getItemPagers(env, n, rs)
	case planner.BatchGetItem:
		pagers, err = e.batchGetPagers(env, n, rs)
	case planner.Query:
		pagers, err = e.queryPagers(env, n, rs)
	case planner.Scan:
		pagers, err = e.scanPagers(env, n, rs)
	default:
		err = sqlerr.New(sqlerr.Internal, "executor: unknown access path %v", n.Path)
	}
	if err != nil {
		return nil, err
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	it := &readIter{parent: parent, cancel: cancel, table: n.Table, count: n.Count}
	it.start = func() pageStream {
		var s pageStream
		if len(pagers) > 1 && e.opts.Concurrency > 1 {
			s = startParallel(ctx, pagers, e.opts.Concurrency)
		} else {
			s = &seqStream{ctx: ctx, pagers: pagers}
		}
		if n.Fetch != nil && !n.Count {
			s = newFetchStream(ctx, e.api, env.stats, n, rs.fetch, s)
		}
		return s
	}
	return it, nil
}

// readIter is the RowIter of a Read: it flattens the pages of its stream.
// Close may be called from another goroutine while Next waits for a page
// (to abandon a statement): Next then returns io.EOF.
type readIter struct {
	parent context.Context // the statement's context
	cancel context.CancelFunc
	table  string
	count  bool

	start  func() pageStream
	stream pageStream // set by the first Next
	items  []Item
	err    error
	done   bool

	mu     sync.Mutex // guards closed and the setting of stream
	closed bool
}

func (it *readIter) Next() (Item, error) {
	for len(it.items) == 0 {
		switch {
		case it.err != nil:
			return nil, it.err
		case it.done || it.isClosed():
			return nil, io.EOF
		case it.stream == nil && !it.begin():
			return nil, io.EOF
		case it.count:
			return it.countAll()
		}
		p, err := it.stream.nextPage()
		if err != nil {
			return nil, it.fail(err)
		}
		it.items = p.items
	}
	row := it.items[0]
	it.items[0] = nil // the consumer owns the row from now on
	it.items = it.items[1:]
	return row, nil
}

// begin starts the stream, unless the iterator is closed.
func (it *readIter) begin() bool {
	it.mu.Lock()
	defer it.mu.Unlock()
	if it.closed {
		return false
	}
	it.stream = it.start()
	return true
}

func (it *readIter) isClosed() bool {
	it.mu.Lock()
	defer it.mu.Unlock()
	return it.closed
}

// countAll sums the Count of every page into the single row of a
// Select=COUNT read.
func (it *readIter) countAll() (Item, error) {
	var total int64
	for {
		p, err := it.stream.nextPage()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, it.fail(err)
		}
		total += p.count
	}
	it.done = true
	return Item{countColumn: &types.AttributeValueMemberN{Value: value.Text(total)}}, nil
}

// fail ends the stream with err: io.EOF, or an error mapped to its
// SQLSTATE. After Close, the errors of the cancelled calls are not errors.
func (it *readIter) fail(err error) error {
	it.done = true
	if err == io.EOF || it.isClosed() {
		it.items = nil
		return io.EOF
	}
	it.err = readError(it.parent, err, it.table)
	it.Close()
	return it.err
}

func (it *readIter) Close() error {
	it.mu.Lock()
	already := it.closed
	it.closed = true
	s := it.stream
	it.mu.Unlock()
	if already {
		return nil
	}
	it.cancel()
	if s != nil {
		s.close()
	}
	return nil
}

// readError maps an error of a read call: cancellation of the statement's
// context to 57014, DynamoDB exceptions through mapTableError.
func readError(ctx context.Context, err error, table string) error {
	var se *sqlerr.Error
	if errors.As(err, &se) {
		return err
	}
	if cause := context.Cause(ctx); cause != nil {
		msg := "canceling statement due to user request"
		if errors.Is(cause, context.DeadlineExceeded) {
			msg = "canceling statement due to statement timeout"
		}
		return &sqlerr.Error{Code: sqlerr.QueryCanceled, Message: msg, Err: err}
	}
	return mapTableError(err, table)
}

// page is one answer of DynamoDB: the items returned and its Count.
type page struct {
	items []Item
	count int64
}

// pager issues the calls of one stream, one page per call of next; more is
// false after the last page.
type pager interface {
	next(ctx context.Context) (p page, more bool, err error)
}

// pageStream yields the pages of a Read; nextPage returns io.EOF after the
// last. close stops every call in flight and returns once nothing runs.
type pageStream interface {
	nextPage() (page, error)
	close()
}

// seqStream runs its pagers one after another on the caller's goroutine.
type seqStream struct {
	ctx    context.Context
	pagers []pager
}

func (s *seqStream) nextPage() (page, error) {
	if len(s.pagers) == 0 {
		return page{}, io.EOF
	}
	p, more, err := s.pagers[0].next(s.ctx)
	if err != nil {
		return page{}, err
	}
	if !more {
		s.pagers[0] = nil
		s.pagers = s.pagers[1:]
	}
	return p, nil
}

// close has nothing to stop: the calls run on the consumer's goroutine, and
// cancelling the read's context ends the one in flight.
func (s *seqStream) close() {}

// readInput is what every Query and Scan of a Read shares.
type readInput struct {
	names      map[string]string
	values     map[string]types.AttributeValue
	filter     *string
	projection *string
	consistent *bool
	limit      *int32
	sel        types.Select
}

func (e *Executor) readInput(env *env, n *planner.Read) (readInput, error) {
	in := readInput{
		filter:     optString(n.Filter),
		projection: optString(n.Projection),
	}
	if len(n.Names) > 0 {
		in.names = n.Names
	}
	values, err := env.values(n.Values)
	if err != nil {
		return in, err
	}
	in.values = values
	if n.ConsistentRead {
		in.consistent = aws.Bool(true)
	}
	if n.PageSize > 0 {
		in.limit = aws.Int32(int32(min(n.PageSize, 1<<31-1)))
	}
	if n.Count {
		in.sel = types.SelectCount
		in.projection = nil
	}
	return in, nil
}

func (e *Executor) queryPagers(env *env, n *planner.Read, rs *readStats) ([]pager, error) {
	in, err := e.readInput(env, n)
	if err != nil {
		return nil, err
	}
	pagers := make([]pager, 0, len(n.PartitionValues))
	for _, pe := range n.PartitionValues {
		pv, err := env.value(pe)
		if err != nil {
			return nil, err
		}
		values := make(map[string]types.AttributeValue, len(in.values)+1)
		maps.Copy(values, in.values)
		values[planner.PartitionPlaceholder] = pv
		q := &queryPager{api: e.api, stats: env.stats, rs: rs, in: dynamodb.QueryInput{
			TableName:                 aws.String(n.Table),
			IndexName:                 optString(n.Index),
			KeyConditionExpression:    optString(n.KeyCondition),
			FilterExpression:          in.filter,
			ProjectionExpression:      in.projection,
			ExpressionAttributeNames:  in.names,
			ExpressionAttributeValues: values,
			ScanIndexForward:          aws.Bool(!n.Descending),
			ConsistentRead:            in.consistent,
			Limit:                     in.limit,
			Select:                    in.sel,
			ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
		}}
		pagers = append(pagers, q)
	}
	return pagers, nil
}

func (e *Executor) scanPagers(env *env, n *planner.Read, rs *readStats) ([]pager, error) {
	in, err := e.readInput(env, n)
	if err != nil {
		return nil, err
	}
	segments := max(n.Segments, 1)
	pagers := make([]pager, segments)
	for i := range segments {
		s := &scanPager{api: e.api, stats: env.stats, rs: rs, in: dynamodb.ScanInput{
			TableName:                 aws.String(n.Table),
			IndexName:                 optString(n.Index),
			FilterExpression:          in.filter,
			ProjectionExpression:      in.projection,
			ExpressionAttributeNames:  in.names,
			ExpressionAttributeValues: in.values,
			ConsistentRead:            in.consistent,
			Limit:                     in.limit,
			Select:                    in.sel,
			ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
		}}
		if segments > 1 {
			s.in.Segment = aws.Int32(int32(i))
			s.in.TotalSegments = aws.Int32(int32(segments))
		}
		pagers[i] = s
	}
	return pagers, nil
}

func (e *Executor) getItemPagers(env *env, n *planner.Read, rs *readStats) ([]pager, error) {
	if len(n.Keys) != 1 {
		return nil, sqlerr.New(sqlerr.Internal, "executor: GetItem needs one key, the plan has %d", len(n.Keys))
	}
	in, err := getInput(env, n)
	if err != nil {
		return nil, err
	}
	return []pager{&getPager{api: e.api, stats: env.stats, rs: rs, in: *in}}, nil
}

// getInput is the GetItem request of a GetItem Read. Reads send it;
// transactions copy its fields into a Get action.
func getInput(env *env, n *planner.Read) (*dynamodb.GetItemInput, error) {
	key, err := env.key(n.Keys[0])
	if err != nil {
		return nil, err
	}
	in := &dynamodb.GetItemInput{
		TableName:              aws.String(n.Table),
		Key:                    key,
		ProjectionExpression:   optString(n.Projection),
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	}
	if len(n.Names) > 0 && n.Projection != "" {
		in.ExpressionAttributeNames = n.Names
	}
	if n.ConsistentRead {
		in.ConsistentRead = aws.Bool(true)
	}
	return in, nil
}

func (e *Executor) batchGetPagers(env *env, n *planner.Read, rs *readStats) ([]pager, error) {
	keys := make([]Item, 0, len(n.Keys))
	for _, k := range n.Keys {
		key, err := env.key(k)
		if err != nil {
			return nil, err
		}
		keys = append(keys, key)
	}
	ka := types.KeysAndAttributes{ProjectionExpression: optString(n.Projection)}
	if len(n.Names) > 0 && n.Projection != "" {
		ka.ExpressionAttributeNames = n.Names
	}
	if n.ConsistentRead {
		ka.ConsistentRead = aws.Bool(true)
	}
	var pagers []pager
	for _, chunk := range keyChunks(dedupeKeys(keys), batchGetLimit) {
		pagers = append(pagers, &batchPager{api: e.api, stats: env.stats, rs: rs, table: n.Table, keys: chunk, ka: ka})
	}
	return pagers, nil
}
