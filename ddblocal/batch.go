package ddblocal

import (
	"encoding/json"
	"slices"

	bolt "go.etcd.io/bbolt"

	"github.com/ddbsql/ddbsql/ddblocal/expr"
)

// DynamoDB's batch limits.
const (
	maxBatchGet   = 100
	maxBatchWrite = 25
)

type batchGetInput struct {
	RequestItems map[string]struct {
		legacy
		exprInput
		Keys                 []avMap `json:"Keys"`
		ProjectionExpression string  `json:"ProjectionExpression"`
		ConsistentRead       bool    `json:"ConsistentRead"`
	} `json:"RequestItems"`
	ReturnConsumedCapacity string `json:"ReturnConsumedCapacity"`
}

type batchGetOutput struct {
	Responses        map[string][]avMap  `json:"Responses"`
	UnprocessedKeys  map[string]any      `json:"UnprocessedKeys"`
	ConsumedCapacity []*consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// sortedNames returns the keys of m (table names) in the order DynamoDB
// Local reports them (javaMapOrder), so that multi-table requests are
// processed and reported deterministically and as it does.
func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	return javaMapOrder(names)
}

// batchGetItem reads every key in one consistent snapshot; nothing is ever
// left unprocessed.
func (db *DB) batchGetItem(body []byte) (any, error) {
	var in batchGetInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if len(in.RequestItems) == 0 {
		return nil, validation("BatchGetItem must have some requests set")
	}
	total := 0
	projs := map[string]*expr.Projection{}
	for _, name := range sortedNames(in.RequestItems) {
		r := in.RequestItems[name]
		if err := checkTableName(name); err != nil {
			return nil, err
		}
		if err := r.legacy.check("ProjectionExpression", r.ProjectionExpression); err != nil {
			return nil, err
		}
		if err := r.legacy.refuse(map[string]bool{"AttributesToGet": true}); err != nil {
			return nil, err
		}
		if src, err := r.legacy.projection(&r.exprInput); err != nil {
			return nil, err
		} else if src != "" {
			r.ProjectionExpression = src
		}
		if len(r.Keys) == 0 {
			return nil, validation("The list of keys in RequestItems for BatchGetItem is required: " + name + " has empty list")
		}
		total += len(r.Keys)
		a, used := r.attrs(), expr.NewUsed()
		p, err := parseProjection(r.ProjectionExpression, a, used)
		if err != nil {
			return nil, err
		}
		if err := used.CheckUnused(a); err != nil {
			return nil, exprError(err)
		}
		projs[name] = p
	}
	if total > maxBatchGet {
		return nil, validation("Too many items requested for the BatchGetItem call")
	}
	out := batchGetOutput{Responses: map[string][]avMap{}, UnprocessedKeys: map[string]any{}}
	err := db.bolt.View(func(tx *bolt.Tx) error {
		for _, name := range sortedNames(in.RequestItems) {
			r := in.RequestItems[name]
			t, err := db.table(tx, name)
			if err != nil {
				return err
			}
			items := tableBucket(tx, t).Bucket(itemsBucket)
			seen := map[string]bool{}
			got := []avMap{}
			c := newCapacity(name)
			keys := make([]item, len(r.Keys))
			for i, key := range r.Keys {
				if err := checkKey(t, item(key)); err != nil {
					return err
				}
				k := t.Key.itemKey(item(key))
				if seen[string(k)] {
					return validation("Provided list of item keys contains duplicates")
				}
				seen[string(k)] = true
				keys[i] = item(key)
			}
			// Items come in the order of DynamoDB Local's HashSet of keys.
			for _, i := range javaKeySetOrder(keys) {
				it, err := getItem(items, t.Key.itemKey(keys[i]))
				if err != nil {
					return err
				}
				if it == nil {
					// DynamoDB Local charges a batch nothing for a key it does not find.
					continue
				}
				c.addTable(readUnits(itemSize(it), r.ConsistentRead))
				if p := projs[name]; p != nil {
					it = p.Apply(it)
				}
				got = append(got, avMap(it))
			}
			out.Responses[name] = got
			if cc := c.report(in.ReturnConsumedCapacity); cc != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, cc)
			}
		}
		order := capacityOrder(inOrder(requestOrder(body, "RequestItems"), in.RequestItems), len(in.RequestItems))
		slices.SortStableFunc(out.ConsumedCapacity, func(a, b *consumedCapacity) int {
			return slices.Index(order, a.TableName) - slices.Index(order, b.TableName)
		})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type writeRequestWire struct {
	PutRequest *struct {
		Item avMap `json:"Item"`
	} `json:"PutRequest"`
	DeleteRequest *struct {
		Key avMap `json:"Key"`
	} `json:"DeleteRequest"`
}

type batchWriteInput struct {
	RequestItems           map[string][]writeRequestWire `json:"RequestItems"`
	ReturnConsumedCapacity string                        `json:"ReturnConsumedCapacity"`
}

type batchWriteOutput struct {
	UnprocessedItems map[string]any      `json:"UnprocessedItems"`
	ConsumedCapacity []*consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// batchWriteItem applies all puts and deletes in one transaction after
// validating every one of them, so a request either fails as a whole with
// a validation error or is fully applied; nothing is left unprocessed.
func (db *DB) batchWriteItem(body []byte) (any, error) {
	var in batchWriteInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	total := 0
	for name, reqs := range in.RequestItems {
		if err := checkTableName(name); err != nil {
			return nil, err
		}
		total += len(reqs)
		for _, r := range reqs {
			if (r.PutRequest == nil) == (r.DeleteRequest == nil) {
				return nil, validation("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
			}
		}
	}
	if total == 0 {
		return nil, validation("BatchWriteItem cannot have a null or no requests set")
	}
	if total > maxBatchWrite {
		return nil, validation("Too many items requested for the BatchWriteItem call")
	}
	out := batchWriteOutput{UnprocessedItems: map[string]any{}}
	err := db.update(func(tx *bolt.Tx) error {
		out.ConsumedCapacity = nil
		type op struct {
			t   *tableMeta
			k   []byte
			put item
		}
		var ops []op
		for _, name := range sortedNames(in.RequestItems) {
			t, err := db.table(tx, name)
			if err != nil {
				return err
			}
			seen := map[string]bool{}
			for _, r := range in.RequestItems[name] {
				var o op
				o.t = t
				if r.PutRequest != nil {
					o.put = item(r.PutRequest.Item)
					if err := checkItem(t, o.put); err != nil {
						return err
					}
					o.k = t.Key.itemKey(o.put)
				} else {
					if err := checkKey(t, item(r.DeleteRequest.Key)); err != nil {
						return err
					}
					o.k = t.Key.itemKey(item(r.DeleteRequest.Key))
				}
				if seen[string(o.k)] {
					return validation("Provided list of item keys contains duplicates")
				}
				seen[string(o.k)] = true
				ops = append(ops, o)
			}
		}
		caps := map[string]*capacity{}
		for _, o := range ops {
			old, err := getItem(tableBucket(tx, o.t).Bucket(itemsBucket), o.k)
			if err != nil {
				return err
			}
			c := caps[o.t.Name]
			if c == nil {
				c = newCapacity(o.t.Name)
				caps[o.t.Name] = c
			}
			if o.put == nil && old == nil {
				// DynamoDB Local charges a batch's delete of a missing
				// item two units (DeleteItem: one).
				c.addTable(2)
				continue
			}
			if err := storeItem(tx, o.t, o.k, old, o.put, c); err != nil {
				return err
			}
		}
		// DynamoDB Local fills its map of capacities table by table in
		// the order of the request's RequestItems.
		for _, name := range javaInsertionOrder(inOrder(requestOrder(body, "RequestItems"), caps), 16) {
			if cc := caps[name].report(in.ReturnConsumedCapacity); cc != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, cc)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
