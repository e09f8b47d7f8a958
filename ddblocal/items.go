package ddblocal

import (
	"encoding/json"

	"github.com/aws/aws-sdk-go-v2/aws"

	bolt "go.etcd.io/bbolt"

	"github.com/ddbsql/ddbsql/ddblocal/expr"
)

// storeItem replaces old (nil if none) by new (nil to delete) at storage
// key k of table t, keeping every index and the statistics in step, and
// adds the write capacity to c. It is the only function that changes items,
// so indexes cannot drift from the table.
func storeItem(tx *bolt.Tx, t *tableMeta, k []byte, old, new item, c *capacity) error {
	b := tableBucket(tx, t)
	items := b.Bucket(itemsBucket)
	oldSize, newSize := 0, 0
	if old != nil {
		oldSize = itemSize(old)
	}
	if new != nil {
		newSize = itemSize(new)
	}
	c.addTable(writeUnits(max(oldSize, newSize)))
	var dCount int64
	switch {
	case new != nil:
		raw, err := encodeItem(new)
		if err != nil {
			return err
		}
		if err := items.Put(k, raw); err != nil {
			return err
		}
		if old == nil {
			dCount = 1
		}
	case old != nil:
		if err := items.Delete(k); err != nil {
			return err
		}
		dCount = -1
	}
	if err := addStats(b, "", dCount, int64(newSize-oldSize)); err != nil {
		return err
	}
	for _, ix := range t.indexes() {
		ib := b.Bucket(indexBucket(ix.Name))
		inOld := old != nil && ix.inIndex(old)
		inNew := new != nil && ix.inIndex(new)
		if !inOld && !inNew {
			continue
		}
		var oldKey, newKey []byte
		if inOld {
			oldKey = ix.entryKey(t, old)
		}
		if inNew {
			newKey = ix.entryKey(t, new)
		}
		if inOld && (!inNew || string(oldKey) != string(newKey)) {
			if err := ib.Delete(oldKey); err != nil {
				return err
			}
		}
		if inNew {
			if err := ib.Put(newKey, k); err != nil {
				return err
			}
		}
		var n, size int64
		if inOld {
			n--
			size -= int64(oldSize)
		}
		if inNew {
			n++
			size += int64(newSize)
		}
		if err := addStats(b, ix.Name, n, size); err != nil {
			return err
		}
		if inOld && inNew && string(oldKey) != string(newKey) {
			// The entry moves: DynamoDB deletes the old one and writes the new.
			c.addIndex(ix, writeUnits(oldSize)+writeUnits(newSize))
		} else if inOld && inNew {
			c.addIndex(ix, writeUnits(max(oldSize, newSize)))
		} else if inOld {
			c.addIndex(ix, writeUnits(oldSize))
		} else {
			c.addIndex(ix, writeUnits(newSize))
		}
	}
	return nil
}

// writeOutput is the response of PutItem, UpdateItem and DeleteItem.
type writeOutput struct {
	Attributes       avMap             `json:"Attributes,omitempty"`
	ConsumedCapacity *consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// condition is a parsed ConditionExpression with the
// ReturnValuesOnConditionCheckFailure setting.
type condition struct {
	cond      *expr.Condition // nil: none
	returnOld bool
}

// check evaluates the condition against the current item (nil if absent).
func (c condition) check(cur item) error {
	if c.cond == nil {
		return nil
	}
	ok, err := c.cond.Eval(cur)
	if err != nil {
		return exprError(err)
	}
	if ok {
		return nil
	}
	var old avMap
	if c.returnOld && cur != nil {
		old = avMap(cur)
	}
	return conditionFailed(old)
}

// parseCondition parses a ConditionExpression ("" for none).
func parseCondition(src, rvOnFailure string, a expr.Attrs, used *expr.Used) (condition, error) {
	c := condition{}
	switch rvOnFailure {
	case "", "NONE":
	case "ALL_OLD":
		c.returnOld = true
	default:
		return c, validation("1 validation error detected: Value '" + rvOnFailure + "' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]")
	}
	if src == "" {
		return c, nil
	}
	cond, err := expr.ParseCondition(src, "ConditionExpression", a, used)
	if err != nil {
		return c, exprError(err)
	}
	c.cond = cond
	return c, nil
}

// checkPutOrDelete validates what PutItem and DeleteItem share, in
// DynamoDB Local's order — table name, legacy parameters, ReturnValues
// (ALL_OLD or NONE), the ConditionExpression, unused placeholders — and
// returns the parsed condition.
func checkPutOrDelete(table string, l *legacy, e *exprInput, src, returnValues, rvOnFailure string) (condition, error) {
	if err := checkTableName(table); err != nil {
		return condition{}, err
	}
	if err := l.check("ConditionExpression", src); err != nil {
		return condition{}, err
	}
	if err := l.refuse(nil); err != nil {
		return condition{}, err
	}
	if err := checkReturnValues(returnValues, "ALL_OLD"); err != nil {
		return condition{}, err
	}
	a, used := e.attrs(), expr.NewUsed()
	cond, err := parseCondition(src, rvOnFailure, a, used)
	if err != nil {
		return condition{}, err
	}
	if err := used.CheckUnused(a); err != nil {
		return condition{}, exprError(err)
	}
	return cond, nil
}

type putItemInput struct {
	legacy
	exprInput
	TableName                           string `json:"TableName"`
	Item                                avMap  `json:"Item"`
	ConditionExpression                 string `json:"ConditionExpression"`
	ReturnValues                        string `json:"ReturnValues"`
	ReturnConsumedCapacity              string `json:"ReturnConsumedCapacity"`
	ReturnValuesOnConditionCheckFailure string `json:"ReturnValuesOnConditionCheckFailure"`
}

func (db *DB) putItem(body []byte) (any, error) {
	var in putItemInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	cond, err := checkPutOrDelete(in.TableName, &in.legacy, &in.exprInput, in.ConditionExpression, in.ReturnValues, in.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	var out writeOutput
	err = db.update(func(tx *bolt.Tx) error {
		out = writeOutput{}
		t, err := db.table(tx, in.TableName)
		if err != nil {
			return err
		}
		it := item(in.Item)
		if err := checkItem(t, it); err != nil {
			return err
		}
		k := t.Key.itemKey(it)
		old, err := getItem(tableBucket(tx, t).Bucket(itemsBucket), k)
		if err != nil {
			return err
		}
		if err := cond.check(old); err != nil {
			return err
		}
		c := newCapacity(t.Name)
		if err := storeItem(tx, t, k, old, it, c); err != nil {
			return err
		}
		if in.ReturnValues == "ALL_OLD" && old != nil {
			out.Attributes = avMap(old)
		}
		out.ConsumedCapacity = c.report(in.ReturnConsumedCapacity)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type keyInput struct {
	legacy
	exprInput
	TableName              string `json:"TableName"`
	Key                    avMap  `json:"Key"`
	ReturnConsumedCapacity string `json:"ReturnConsumedCapacity"`
}

type getItemInput struct {
	keyInput
	ProjectionExpression string `json:"ProjectionExpression"`
	ConsistentRead       bool   `json:"ConsistentRead"`
}

type getItemOutput struct {
	Item             *avMap            `json:"Item,omitempty"` // {} for an item with no projected attributes`
	ConsumedCapacity *consumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// parseProjection parses a ProjectionExpression ("" for none: all attributes).
func parseProjection(src string, a expr.Attrs, used *expr.Used) (*expr.Projection, error) {
	if src == "" {
		return nil, nil
	}
	p, err := expr.ParseProjection(src, a, used)
	if err != nil {
		return nil, exprError(err)
	}
	return p, nil
}

func (db *DB) getItem(body []byte) (any, error) {
	var in getItemInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	if err := in.legacy.check("ProjectionExpression", in.ProjectionExpression); err != nil {
		return nil, err
	}
	if err := in.legacy.refuse(map[string]bool{"AttributesToGet": true}); err != nil {
		return nil, err
	}
	if src, err := in.legacy.projection(&in.exprInput); err != nil {
		return nil, err
	} else if src != "" {
		in.ProjectionExpression = src
	}
	a, used := in.attrs(), expr.NewUsed()
	proj, err := parseProjection(in.ProjectionExpression, a, used)
	if err != nil {
		return nil, err
	}
	if err := used.CheckUnused(a); err != nil {
		return nil, exprError(err)
	}
	var out getItemOutput
	err = db.bolt.View(func(tx *bolt.Tx) error {
		t, err := db.table(tx, in.TableName)
		if err != nil {
			return err
		}
		if err := checkKey(t, item(in.Key)); err != nil {
			return err
		}
		it, err := getItem(tableBucket(tx, t).Bucket(itemsBucket), t.Key.itemKey(item(in.Key)))
		if err != nil {
			return err
		}
		c := newCapacity(t.Name)
		size := 0
		if it != nil {
			size = itemSize(it)
			if proj != nil {
				it = proj.Apply(it)
			}
			m := avMap(it)
			out.Item = &m
		}
		c.addTable(max(readUnits(size, in.ConsistentRead), readUnits(1, in.ConsistentRead)))
		out.ConsumedCapacity = c.report(in.ReturnConsumedCapacity)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type deleteItemInput struct {
	keyInput
	ConditionExpression                 string `json:"ConditionExpression"`
	ReturnValues                        string `json:"ReturnValues"`
	ReturnValuesOnConditionCheckFailure string `json:"ReturnValuesOnConditionCheckFailure"`
}

func (db *DB) deleteItem(body []byte) (any, error) {
	var in deleteItemInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	cond, err := checkPutOrDelete(in.TableName, &in.legacy, &in.exprInput, in.ConditionExpression, in.ReturnValues, in.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	var out writeOutput
	err = db.update(func(tx *bolt.Tx) error {
		out = writeOutput{}
		t, err := db.table(tx, in.TableName)
		if err != nil {
			return err
		}
		if err := checkKey(t, item(in.Key)); err != nil {
			return err
		}
		k := t.Key.itemKey(item(in.Key))
		old, err := getItem(tableBucket(tx, t).Bucket(itemsBucket), k)
		if err != nil {
			return err
		}
		if err := cond.check(old); err != nil {
			return err
		}
		c := newCapacity(t.Name)
		if old != nil {
			if err := storeItem(tx, t, k, old, nil, c); err != nil {
				return err
			}
			if in.ReturnValues == "ALL_OLD" {
				out.Attributes = avMap(old)
			}
		} else {
			c.addTable(1)
		}
		mode := in.ReturnConsumedCapacity
		if old == nil && (mode == "" || mode == "NONE") {
			// DynamoDB Local reports the capacity of a delete that found
			// nothing even when told not to.
			mode = "TOTAL"
		}
		out.ConsumedCapacity = c.report(mode)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

type updateItemInput struct {
	keyInput
	UpdateExpression                    *string `json:"UpdateExpression"`
	ConditionExpression                 string  `json:"ConditionExpression"`
	ReturnValues                        string  `json:"ReturnValues"`
	ReturnValuesOnConditionCheckFailure string  `json:"ReturnValuesOnConditionCheckFailure"`
}

// parsedUpdate is an UpdateItem's (or a transaction Update's) parsed
// expressions.
type parsedUpdate struct {
	update *expr.Update // nil: no UpdateExpression (the item is created with its key only)
	cond   condition
}

func parseUpdateRequest(updateSrc, condSrc, rvOnFailure string, a expr.Attrs) (parsedUpdate, error) {
	var p parsedUpdate
	used := expr.NewUsed()
	if updateSrc != "" {
		u, err := expr.ParseUpdate(updateSrc, a, used)
		if err != nil {
			return p, exprError(err)
		}
		p.update = u
	}
	cond, err := parseCondition(condSrc, rvOnFailure, a, used)
	if err != nil {
		return p, err
	}
	p.cond = cond
	if err := used.CheckUnused(a); err != nil {
		return p, exprError(err)
	}
	return p, nil
}

// apply checks the condition against old and computes the new item for key.
func (p parsedUpdate) apply(t *tableMeta, key, old item) (item, error) {
	if err := p.cond.check(old); err != nil {
		return nil, err
	}
	if p.update != nil {
		for _, path := range p.update.Paths() {
			if len(path) > 0 && t.isKeyAttr(path[0].Name) {
				return nil, validation("One or more parameter values were invalid: Cannot update attribute " + path[0].Name + ". This attribute is part of the key")
			}
		}
	}
	base := old
	if base == nil {
		base = make(item, len(key))
		for k, v := range key {
			base[k] = v
		}
	}
	next := base
	if p.update != nil {
		var err error
		if next, err = p.update.Apply(base); err != nil {
			return nil, exprError(err)
		}
		for _, v := range next {
			sortSets(v)
		}
		if itemSize(next) > maxItemSize {
			return nil, validation("Item size to update has exceeded the maximum allowed size")
		}
	}
	if err := checkItem(t, next); err != nil {
		return nil, err
	}
	return next, nil
}

func (db *DB) updateItem(body []byte) (any, error) {
	var in updateItemInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	if err := in.legacy.check("UpdateExpression", aws.ToString(in.UpdateExpression), "ConditionExpression", in.ConditionExpression); err != nil {
		return nil, err
	}
	if err := in.legacy.refuse(map[string]bool{"AttributeUpdates": true}); err != nil {
		return nil, err
	}
	if src, err := in.legacy.update(&in.exprInput); err != nil {
		return nil, err
	} else if src != "" {
		in.UpdateExpression = &src
	}
	if err := checkReturnValues(in.ReturnValues, "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"); err != nil {
		return nil, err
	}
	if in.UpdateExpression != nil && *in.UpdateExpression == "" {
		return nil, validation("Invalid UpdateExpression: The expression can not be empty;")
	}
	p, err := parseUpdateRequest(aws.ToString(in.UpdateExpression), in.ConditionExpression, in.ReturnValuesOnConditionCheckFailure, in.attrs())
	if err != nil {
		return nil, err
	}
	var out writeOutput
	err = db.update(func(tx *bolt.Tx) error {
		out = writeOutput{}
		t, err := db.table(tx, in.TableName)
		if err != nil {
			return err
		}
		key := item(in.Key)
		if err := checkKey(t, key); err != nil {
			return err
		}
		k := t.Key.itemKey(key)
		old, err := getItem(tableBucket(tx, t).Bucket(itemsBucket), k)
		if err != nil {
			return err
		}
		next, err := p.apply(t, key, old)
		if err != nil {
			return err
		}
		c := newCapacity(t.Name)
		if err := storeItem(tx, t, k, old, next, c); err != nil {
			return err
		}
		out.Attributes = avMap(returnedAttributes(in.ReturnValues, p.update, old, next))
		out.ConsumedCapacity = c.report(in.ReturnConsumedCapacity)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// returnedAttributes picks UpdateItem's Attributes for ReturnValues rv.
// UPDATED_OLD and UPDATED_NEW return the top-level attributes the update
// expression wrote, whole, as they were before or are after (DynamoDB
// Local returns a whole list for SET l[0]).
func returnedAttributes(rv string, u *expr.Update, old, next item) item {
	switch rv {
	case "ALL_OLD":
		return old
	case "ALL_NEW":
		return next
	case "UPDATED_OLD", "UPDATED_NEW":
		src := old
		if rv == "UPDATED_NEW" {
			src = next
		}
		if u == nil || src == nil {
			return nil
		}
		out := item{}
		for _, p := range u.Paths() {
			if v, ok := src[p[0].Name]; ok {
				out[p[0].Name] = v
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}
