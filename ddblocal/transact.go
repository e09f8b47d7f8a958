package ddblocal

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ddbsql/ddbsql/ddblocal/expr"
)

// maxTransactItems is DynamoDB's limit on the actions of one transaction.
const maxTransactItems = 100

// tokenTTL is how long a ClientRequestToken makes TransactWriteItems
// idempotent.
const tokenTTL = 10 * time.Minute

// tokenCache remembers the outcome of recent TransactWriteItems calls by
// ClientRequestToken: a retry with the same token and the same request gets
// the first answer without applying the writes again. It lives in memory:
// the window is ten minutes, and a restarted engine has no requests in
// flight.
type tokenCache struct {
	mu      sync.Mutex
	entries map[string]tokenEntry
}

type tokenEntry struct {
	digest [32]byte
	at     time.Time
	resp   any
}

func newTokenCache() *tokenCache { return &tokenCache{entries: map[string]tokenEntry{}} }

// lookup returns the remembered answer for token, an
// IdempotentParameterMismatchException when the token was used for a
// different request, or ok=false.
func (c *tokenCache) lookup(token string, digest [32]byte, now time.Time) (resp any, ok bool, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.entries {
		if now.Sub(e.at) > tokenTTL {
			delete(c.entries, k)
		}
	}
	e, found := c.entries[token]
	if !found {
		return nil, false, nil
	}
	if e.digest != digest {
		return nil, false, &apiError{Type: "IdempotentParameterMismatchException", Message: ""}
	}
	return e.resp, true, nil
}

func (c *tokenCache) store(token string, digest [32]byte, now time.Time, resp any) {
	c.mu.Lock()
	c.entries[token] = tokenEntry{digest, now, resp}
	c.mu.Unlock()
}

type transactAction struct {
	exprInput
	legacy
	TableName                           string `json:"TableName"`
	Key                                 avMap  `json:"Key"`
	Item                                avMap  `json:"Item"`
	ConditionExpression                 string `json:"ConditionExpression"`
	UpdateExpression                    string `json:"UpdateExpression"`
	ReturnValuesOnConditionCheckFailure string `json:"ReturnValuesOnConditionCheckFailure"`
}

type transactWriteInput struct {
	TransactItems []struct {
		ConditionCheck *transactAction `json:"ConditionCheck"`
		Put            *transactAction `json:"Put"`
		Delete         *transactAction `json:"Delete"`
		Update         *transactAction `json:"Update"`
	} `json:"TransactItems"`
	ClientRequestToken     string `json:"ClientRequestToken"`
	ReturnConsumedCapacity string `json:"ReturnConsumedCapacity"`
}

type transactWriteOutput struct {
	ConsumedCapacity []*consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// pendingWrite is one validated action of a transaction.
type pendingWrite struct {
	kind   string // ConditionCheck, Put, Delete, Update
	act    *transactAction
	parsed parsedUpdate
}

// transactWriteItems applies all actions in one bbolt transaction: every
// condition is evaluated first, and only if all hold is anything written.
func (db *DB) transactWriteItems(body []byte) (any, error) {
	var in transactWriteInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if len(in.TransactItems) == 0 {
		return nil, validation("Value [] at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(in.TransactItems) > maxTransactItems {
		return nil, validation("Member must have length less than or equal to 100")
	}
	var digest [32]byte
	if in.ClientRequestToken != "" {
		digest = requestDigest(body)
		resp, ok, err := db.tokens.lookup(in.ClientRequestToken, digest, db.opts.Now())
		if err != nil || ok {
			return resp, err
		}
	}
	pending := make([]pendingWrite, len(in.TransactItems))
	for i, ti := range in.TransactItems {
		p := &pending[i]
		n := 0
		for kind, a := range map[string]*transactAction{"ConditionCheck": ti.ConditionCheck, "Put": ti.Put, "Delete": ti.Delete, "Update": ti.Update} {
			if a != nil {
				p.kind, p.act = kind, a
				n++
			}
		}
		if n == 0 {
			return nil, validation("Invalid Request: TransactWriteRequest should contain Delete or Put or Update request")
		}
		if n != 1 {
			return nil, validation("TransactItems can only contain one of Check, Put, Update or Delete")
		}
		a := p.act
		if err := checkTableName(a.TableName); err != nil {
			return nil, err
		}
		if err := a.legacy.refuse(nil); err != nil {
			return nil, err
		}
		if p.kind == "ConditionCheck" && a.ConditionExpression == "" {
			return nil, validation("The ConditionExpression of a ConditionCheck is required")
		}
		if p.kind == "Update" && a.UpdateExpression == "" {
			return nil, validation("The UpdateExpression of an Update is required")
		}
		parsed, err := parseUpdateRequest(a.UpdateExpression, a.ConditionExpression, a.ReturnValuesOnConditionCheckFailure, a.attrs())
		if err != nil {
			return nil, err
		}
		p.parsed = parsed
	}
	var out transactWriteOutput
	err := db.update(func(tx *bolt.Tx) error {
		out = transactWriteOutput{}
		type planned struct {
			t         *tableMeta
			k         []byte
			old, next item
			write     bool
		}
		plan := make([]planned, len(pending))
		reasons := make([]cancellationReason, len(pending))
		failed := false
		seen := map[string]bool{}
		for i, p := range pending {
			t, err := db.table(tx, p.act.TableName)
			if err != nil {
				return err
			}
			key := item(p.act.Key)
			if p.kind == "Put" {
				key = item(p.act.Item)
				err = checkItem(t, key)
			} else {
				err = checkKey(t, key)
			}
			if err != nil {
				reasons[i] = cancellationReason{Code: "ValidationError", Message: err.(*apiError).Message}
				failed = true
				continue
			}
			k := t.Key.itemKey(key)
			id := t.Name + "\x00" + string(k)
			if seen[id] {
				return validation("Transaction request cannot include multiple operations on one item")
			}
			seen[id] = true
			old, err := getItem(tableBucket(tx, t).Bucket(itemsBucket), k)
			if err != nil {
				return err
			}
			pl := planned{t: t, k: k, old: old}
			switch p.kind {
			case "ConditionCheck":
				err = p.parsed.cond.check(old)
			case "Put":
				if err = p.parsed.cond.check(old); err == nil {
					pl.next, pl.write = item(p.act.Item), true
				}
			case "Delete":
				if err = p.parsed.cond.check(old); err == nil {
					pl.write = old != nil
				}
			case "Update":
				pl.next, err = p.parsed.apply(t, key, old)
				pl.write = err == nil
			}
			plan[i] = pl
			reasons[i] = cancellationReason{Code: "None"}
			if err != nil {
				failed = true
				var ae *apiError
				if !errors.As(err, &ae) {
					return err
				}
				if ae.Type == "ConditionalCheckFailedException" {
					reasons[i] = cancellationReason{Code: "ConditionalCheckFailed", Message: "The conditional request failed.", Item: ae.Item}
				} else {
					reasons[i] = cancellationReason{Code: "ValidationError", Message: ae.Message}
				}
			}
		}
		if failed {
			codes := make([]string, len(reasons))
			for i, r := range reasons {
				if r.Code == "" {
					reasons[i].Code = "None"
				}
				codes[i] = reasons[i].Code
			}
			return &apiError{
				Type:    "TransactionCanceledException",
				Message: "Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]",
				Reasons: reasons,
			}
		}
		// inserted lists the tables in the order DynamoDB Local adds
		// them to its map of capacities: that of the actions.
		caps := map[string]*capacity{}
		var inserted []string
		for _, pl := range plan {
			c := caps[pl.t.Name]
			if c == nil {
				c = newCapacity(pl.t.Name)
				c.scale = 2 // a transactional write costs twice a plain one
				caps[pl.t.Name] = c
				inserted = append(inserted, pl.t.Name)
			}
			if !pl.write {
				c.addTable(1)
				continue
			}
			if err := storeItem(tx, pl.t, pl.k, pl.old, pl.next, c); err != nil {
				return err
			}
		}
		for _, name := range capacityOrder(inserted, len(in.TransactItems)) {
			if cc := caps[name].report(in.ReturnConsumedCapacity); cc != nil {
				out.ConsumedCapacity = append(out.ConsumedCapacity, cc)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if in.ClientRequestToken != "" {
		db.tokens.store(in.ClientRequestToken, digest, db.opts.Now(), out)
	}
	return out, nil
}

// requestDigest identifies a request's parameters for idempotency. The
// body is decoded and re-encoded (which sorts object keys), so two
// encodings of the same request, whose maps an SDK may write in any order,
// have the same digest.
func requestDigest(body []byte) [32]byte {
	var v any
	if json.Unmarshal(body, &v) == nil {
		if canon, err := json.Marshal(v); err == nil {
			return sha256.Sum256(canon)
		}
	}
	return sha256.Sum256(body)
}

type transactGetInput struct {
	TransactItems []struct {
		Get *struct {
			exprInput
			TableName            string `json:"TableName"`
			Key                  avMap  `json:"Key"`
			ProjectionExpression string `json:"ProjectionExpression"`
		} `json:"Get"`
	} `json:"TransactItems"`
	ReturnConsumedCapacity string `json:"ReturnConsumedCapacity"`
}

type itemResponse struct {
	Item avMap `json:"Item,omitempty"`
}

type transactGetOutput struct {
	ConsumedCapacity []*consumedCapacity `json:"ConsumedCapacity,omitempty"`
	Responses        []itemResponse      `json:"Responses"`
}

// transactGetItems reads every item from one snapshot.
func (db *DB) transactGetItems(body []byte) (any, error) {
	var in transactGetInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if len(in.TransactItems) == 0 {
		return nil, validation("Value [] at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(in.TransactItems) > maxTransactItems {
		return nil, validation("Member must have length less than or equal to 100")
	}
	projs := make([]*expr.Projection, len(in.TransactItems))
	for i, ti := range in.TransactItems {
		if ti.Get == nil {
			return nil, validation("TransactItems can only contain Get")
		}
		if err := checkTableName(ti.Get.TableName); err != nil {
			return nil, err
		}
		a, used := ti.Get.attrs(), expr.NewUsed()
		p, err := parseProjection(ti.Get.ProjectionExpression, a, used)
		if err != nil {
			return nil, err
		}
		if err := used.CheckUnused(a); err != nil {
			return nil, exprError(err)
		}
		projs[i] = p
	}
	var out transactGetOutput
	err := db.bolt.View(func(tx *bolt.Tx) error {
		// inserted lists the tables in the order DynamoDB Local adds
		// them to its map of capacities: that of the actions.
		caps := map[string]*capacity{}
		var inserted []string
		seen := map[string]bool{}
		for _, ti := range in.TransactItems {
			g := ti.Get
			t, err := db.table(tx, g.TableName)
			if err != nil {
				return err
			}
			if err := checkKey(t, item(g.Key)); err != nil {
				return err
			}
			id := t.Name + "\x00" + string(t.Key.itemKey(item(g.Key)))
			if seen[id] {
				return validation("Transaction request cannot include multiple operations on one item")
			}
			seen[id] = true
		}
		for i, ti := range in.TransactItems {
			g := ti.Get
			t, err := db.table(tx, g.TableName)
			if err != nil {
				return err
			}
			it, err := getItem(tableBucket(tx, t).Bucket(itemsBucket), t.Key.itemKey(item(g.Key)))
			if err != nil {
				return err
			}
			c := caps[t.Name]
			if c == nil {
				c = newCapacity(t.Name)
				caps[t.Name] = c
				inserted = append(inserted, t.Name)
			}
			size := 1
			if it != nil {
				size = itemSize(it)
				if projs[i] != nil {
					it = projs[i].Apply(it)
				}
			}
			c.addTable(2 * readUnits(size, true))
			out.Responses = append(out.Responses, itemResponse{Item: avMap(it)})
		}
		for _, name := range javaInsertionOrder(inserted, 16) {
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
