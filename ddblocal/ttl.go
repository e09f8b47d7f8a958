package ddblocal

import (
	"context"
	"encoding/json"
	"log"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	bolt "go.etcd.io/bbolt"
)

// ttlHorizon: like DynamoDB, the sweeper ignores expiry times more than five
// years in the past, which are more likely milliseconds or mistakes than
// deadlines.
const ttlHorizon = 5 * 365 * 24 * time.Hour

// sweepBatch bounds the deletions of one transaction, so that a sweep of a
// large table does not hold the writer for long.
const sweepBatch = 1000

type updateTTLInput struct {
	TableName               string `json:"TableName"`
	TimeToLiveSpecification struct {
		Enabled       *bool  `json:"Enabled"`
		AttributeName string `json:"AttributeName"`
	} `json:"TimeToLiveSpecification"`
}

func (db *DB) updateTimeToLive(body []byte) (any, error) {
	var in updateTTLInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	spec := in.TimeToLiveSpecification
	if spec.Enabled == nil || spec.AttributeName == "" {
		return nil, validation("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null")
	}
	err := db.update(func(tx *bolt.Tx) error {
		t, err := loadTable(tx, in.TableName)
		if err != nil {
			return err
		}
		if t == nil {
			return tableNotFound()
		}
		switch {
		case t.TTLAttr != "" && t.TTLAttr != spec.AttributeName:
			return validation("TimeToLive is active on a different AttributeName")
		case *spec.Enabled && t.TTLAttr != "":
			return validation("TimeToLive is already enabled")
		case !*spec.Enabled && t.TTLAttr == "":
			return validation("TimeToLive is already disabled")
		}
		t.TTLAttr = ""
		if *spec.Enabled {
			t.TTLAttr = spec.AttributeName
		}
		return saveTable(tx, t)
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TimeToLiveSpecification": map[string]any{"Enabled": *spec.Enabled, "AttributeName": spec.AttributeName}}, nil
}

func (db *DB) describeTimeToLive(body []byte) (any, error) {
	var in tableNameInput
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, err
	}
	if err := checkTableName(in.TableName); err != nil {
		return nil, err
	}
	var desc map[string]string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		t, err := db.table(tx, in.TableName)
		if err != nil {
			return err
		}
		desc = map[string]string{"TimeToLiveStatus": "DISABLED"}
		if t.TTLAttr != "" {
			desc = map[string]string{"TimeToLiveStatus": "ENABLED", "AttributeName": t.TTLAttr}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"TimeToLiveDescription": desc}, nil
}

// sweepLoop runs SweepExpired every TTLInterval until ctx is cancelled.
func (db *DB) sweepLoop(ctx context.Context) {
	defer db.sweeper.Done()
	tick := time.NewTicker(db.opts.TTLInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if _, err := db.SweepExpired(); err != nil && ctx.Err() == nil {
				log.Printf("ddblocal: TTL sweep: %v", err)
			}
		}
	}
}

// SweepExpired deletes, from every table with TTL enabled, the items whose
// TTL attribute is a number of epoch seconds at or before Options.Now (and
// not more than five years before it), together with their index entries.
// It returns how many items it deleted. The background sweeper calls it
// every TTLInterval; tests and tools may call it directly.
func (db *DB) SweepExpired() (int, error) {
	var tables []string
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return tx.Bucket(metaBucket).ForEach(func(k, v []byte) error {
			var t tableMeta
			if err := json.Unmarshal(v, &t); err != nil {
				return err
			}
			if t.TTLAttr != "" {
				tables = append(tables, t.Name)
			}
			return nil
		})
	})
	if err != nil {
		return 0, err
	}
	deleted := 0
	for _, name := range tables {
		n, err := db.sweepTable(name)
		deleted += n
		if err != nil {
			return deleted, err
		}
	}
	return deleted, nil
}

// sweepTable deletes the expired items of one table, sweepBatch per
// transaction, resuming each batch where the previous one stopped.
func (db *DB) sweepTable(name string) (int, error) {
	deleted := 0
	var resume []byte
	for {
		now := db.opts.Now()
		n, done := 0, false
		err := db.write(func(tx *bolt.Tx) error {
			n, done = 0, false
			t, err := loadTable(tx, name)
			if err != nil || t == nil || t.TTLAttr == "" {
				done = true
				return err
			}
			items := tableBucket(tx, t).Bucket(itemsBucket)
			c := items.Cursor()
			k, v := c.First()
			if resume != nil {
				k, v = c.Seek(resume)
			}
			var expired [][]byte
			for ; k != nil && len(expired) < sweepBatch; k, v = c.Next() {
				if !strings.Contains(string(v), `"`+t.TTLAttr+`"`) {
					continue // cheap pre-check: the item lacks the attribute
				}
				it, err := decodeItem(v)
				if err != nil {
					return err
				}
				if isExpired(it[t.TTLAttr], now) {
					expired = append(expired, append([]byte(nil), k...))
				}
			}
			if k == nil {
				done = true
			} else {
				resume = append([]byte(nil), k...)
			}
			for _, ek := range expired {
				it, err := getItem(items, ek)
				if err != nil {
					return err
				}
				if err := storeItem(tx, t, ek, it, nil, newCapacity(name)); err != nil {
					return err
				}
				n++
			}
			return nil
		})
		if err != nil {
			return deleted, err
		}
		deleted += n
		if done {
			return deleted, nil
		}
	}
}

// isExpired reports whether a TTL attribute value has passed at now.
func isExpired(v types.AttributeValue, now time.Time) bool {
	n, ok := v.(*types.AttributeValueMemberN)
	if !ok {
		return false
	}
	neg, digits, adj := decimalParts(n.Value)
	if neg || digits == "" || adj > 12 {
		return false // negative, zero or beyond year 33658: never
	}
	secs := int64(0)
	for i := 0; i <= adj; i++ {
		secs *= 10
		if i < len(digits) {
			secs += int64(digits[i] - '0')
		}
	}
	at := time.Unix(secs, 0)
	return !at.After(now) && now.Sub(at) <= ttlHorizon
}
