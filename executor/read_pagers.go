package executor

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// batchGetLimit is the most keys one BatchGetItem may ask for.
const batchGetLimit = 100

// queryPager pages through the Query of one partition value.
type queryPager struct {
	api   DynamoDB
	stats *stats
	rs    *readStats
	in    dynamodb.QueryInput
}

func (q *queryPager) next(ctx context.Context) (page, bool, error) {
	q.rs.callStarted()
	in := q.in
	out, err := q.api.Query(ctx, &in)
	if err != nil {
		return page{}, false, err
	}
	q.rs.callDone(int64(out.ScannedCount), int64(out.Count), capacityOf(out.ConsumedCapacity))
	q.stats.progress()
	q.in.ExclusiveStartKey = out.LastEvaluatedKey
	return page{items: out.Items, count: int64(out.Count)}, len(out.LastEvaluatedKey) > 0, nil
}

// scanPager pages through a Scan, or one segment of a parallel Scan.
type scanPager struct {
	api   DynamoDB
	stats *stats
	rs    *readStats
	in    dynamodb.ScanInput
}

func (s *scanPager) next(ctx context.Context) (page, bool, error) {
	s.rs.callStarted()
	in := s.in
	out, err := s.api.Scan(ctx, &in)
	if err != nil {
		return page{}, false, err
	}
	s.rs.callDone(int64(out.ScannedCount), int64(out.Count), capacityOf(out.ConsumedCapacity))
	s.stats.progress()
	s.in.ExclusiveStartKey = out.LastEvaluatedKey
	return page{items: out.Items, count: int64(out.Count)}, len(out.LastEvaluatedKey) > 0, nil
}

// getPager reads one item by key; a missing item is an empty page.
type getPager struct {
	api   DynamoDB
	stats *stats
	rs    *readStats
	in    dynamodb.GetItemInput
}

func (g *getPager) next(ctx context.Context) (page, bool, error) {
	g.rs.callStarted()
	out, err := g.api.GetItem(ctx, &g.in)
	if err != nil {
		return page{}, false, err
	}
	var p page
	if out.Item != nil {
		p.items = []Item{out.Item}
	}
	p.count = int64(len(p.items))
	g.rs.callDone(p.count, p.count, capacityOf(out.ConsumedCapacity))
	g.stats.progress()
	return p, false, nil
}

// batchPager reads one chunk of at most 100 keys with BatchGetItem. Each
// call returns a page of the items found; the keys DynamoDB left
// unprocessed are asked for again, after a backoff, until none remain.
type batchPager struct {
	api   DynamoDB
	stats *stats
	rs    *readStats
	table string
	keys  []Item
	ka    types.KeysAndAttributes
	// retry counts the consecutive answers that processed nothing.
	retry int
}

func (b *batchPager) next(ctx context.Context) (page, bool, error) {
	if b.retry > 0 {
		if err := sleep(ctx, batchBackoff.delay(b.retry)); err != nil {
			return page{}, false, err
		}
	}
	ka := b.ka
	ka.Keys = b.keys
	b.rs.callStarted()
	out, err := b.api.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{
		RequestItems:           map[string]types.KeysAndAttributes{b.table: ka},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
	})
	if err != nil {
		return page{}, false, err
	}
	items := out.Responses[b.table]
	var capacity float64
	for i := range out.ConsumedCapacity {
		capacity += capacityOf(&out.ConsumedCapacity[i])
	}
	b.rs.callDone(int64(len(items)), int64(len(items)), capacity)
	b.stats.progress()
	p := page{items: items, count: int64(len(items))}
	left := out.UnprocessedKeys[b.table].Keys
	if len(left) == 0 {
		b.keys = nil
		return p, false, nil
	}
	if len(left) < len(b.keys) {
		b.retry = 1 // progress: back off only a little
	} else {
		b.retry++
	}
	b.keys = left
	return p, true, nil
}

// backoff is exponential backoff with jitter: the n-th retry waits between
// half and all of min(max, base·2ⁿ⁻¹).
type backoff struct {
	base, max time.Duration
}

// batchBackoff paces the retries of UnprocessedKeys. DynamoDB leaves keys
// unprocessed when it runs short of capacity, so retrying at once would only
// be refused again.
var batchBackoff = backoff{base: 50 * time.Millisecond, max: 5 * time.Second}

func (b backoff) delay(retry int) time.Duration {
	d := b.max
	if retry < 32 {
		d = min(b.max, b.base<<(retry-1))
	}
	if d <= 1 {
		return d
	}
	return d/2 + rand.N(d/2)
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// keyHash is the canonical encoding of a primary key, equal for keys
// DynamoDB considers the same (1 and 1.0 are one number).
func keyHash(key Item) string {
	return value.HashKey(&types.AttributeValueMemberM{Value: key})
}

// dedupeKeys drops repeated keys, keeping the first; DynamoDB rejects a
// BatchGetItem naming one key twice.
func dedupeKeys(keys []Item) []Item {
	seen := make(map[string]bool, len(keys))
	out := keys[:0:0]
	for _, k := range keys {
		h := keyHash(k)
		if !seen[h] {
			seen[h] = true
			out = append(out, k)
		}
	}
	return out
}

// keyChunks splits keys into chunks of at most n.
func keyChunks(keys []Item, n int) [][]Item {
	var chunks [][]Item
	for len(keys) > n {
		chunks = append(chunks, keys[:n:n])
		keys = keys[n:]
	}
	if len(keys) > 0 {
		chunks = append(chunks, keys)
	}
	return chunks
}
