package executor

import (
	"context"
	"maps"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
)

// fetchStream completes an index read whose index lacks attributes the
// statement needs: it takes the table keys from the index pages and fetches
// the items from the table with BatchGetItem, one chunk of at most 100 keys
// at a time, so that memory holds one chunk whatever the size of the read.
// Items come out in the order of the index; an item deleted since the index
// was read is skipped.
type fetchStream struct {
	ctx   context.Context
	api   DynamoDB
	stats *stats
	rs    *readStats
	table string
	attrs []string // the table's key attributes
	ka    types.KeysAndAttributes
	// added are key attributes put into the projection only to match the
	// items with their keys; they are removed from the rows.
	added []string

	inner pageStream
	keys  []Item // keys of the current index page not fetched yet
}

func newFetchStream(ctx context.Context, api DynamoDB, st *stats, n *planner.Read, rs *readStats, inner pageStream) *fetchStream {
	f := &fetchStream{ctx: ctx, api: api, stats: st, rs: rs, table: n.Table, attrs: n.Fetch.KeyAttrs, inner: inner}
	proj, names, added := fetchProjection(n.Fetch)
	f.ka = types.KeysAndAttributes{ProjectionExpression: optString(proj), ExpressionAttributeNames: names}
	if n.ConsistentRead {
		f.ka.ConsistentRead = aws.Bool(true)
	}
	f.added = added
	return f
}

// fetchProjection returns the projection and names of the fetch, with the
// key attributes the projection lacks added to it.
func fetchProjection(fe *planner.Fetch) (proj string, names map[string]string, added []string) {
	if fe.Projection == "" {
		return "", nil, nil
	}
	present := map[string]bool{}
	for _, part := range strings.Split(fe.Projection, ",") {
		part = strings.TrimSpace(part)
		if i := strings.IndexAny(part, ".["); i >= 0 {
			continue // a nested path never names a whole (scalar) key attribute
		}
		if name, ok := fe.Names[part]; ok {
			part = name
		}
		present[part] = true
	}
	proj = fe.Projection
	if len(fe.Names) > 0 {
		names = maps.Clone(fe.Names)
	}
	for i, attr := range fe.KeyAttrs {
		if present[attr] {
			continue
		}
		if names == nil {
			names = map[string]string{}
		}
		ph := "#fetchkey" + strconv.Itoa(i)
		names[ph] = attr
		proj += ", " + ph
		added = append(added, attr)
	}
	return proj, names, added
}

func (f *fetchStream) nextPage() (page, error) {
	for len(f.keys) == 0 {
		p, err := f.inner.nextPage()
		if err != nil {
			return page{}, err
		}
		for _, it := range p.items {
			key := make(Item, len(f.attrs))
			for _, a := range f.attrs {
				if v, ok := it[a]; ok {
					key[a] = v
				}
			}
			if len(key) == len(f.attrs) {
				f.keys = append(f.keys, key)
			}
		}
	}
	n := min(len(f.keys), batchGetLimit)
	chunk := dedupeKeys(f.keys[:n])
	f.keys = f.keys[n:]
	return f.fetch(chunk)
}

// fetch reads the items of keys, retrying unprocessed keys, and returns
// them in the order of keys.
func (f *fetchStream) fetch(keys []Item) (page, error) {
	b := &batchPager{api: f.api, stats: f.stats, rs: f.rs, table: f.table, keys: keys, ka: f.ka}
	found := make(map[string]Item, len(keys))
	for more := true; more; {
		p, m, err := b.next(f.ctx)
		if err != nil {
			return page{}, err
		}
		more = m
		for _, it := range p.items {
			key := make(Item, len(f.attrs))
			for _, a := range f.attrs {
				key[a] = it[a]
			}
			found[keyHash(key)] = it
		}
	}
	items := make([]Item, 0, len(found))
	for _, k := range keys {
		if it, ok := found[keyHash(k)]; ok {
			for _, a := range f.added {
				delete(it, a)
			}
			items = append(items, it)
		}
	}
	return page{items: items, count: int64(len(items))}, nil
}

func (f *fetchStream) close() { f.inner.close() }
