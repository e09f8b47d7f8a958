package ddblocal

import (
	"context"
	"errors"

	bolt "go.etcd.io/bbolt"
)

// Every acknowledged write is durable (unless Options.NoSync): bbolt syncs
// the file on each commit.
// To keep that affordable under concurrency, writes go through a group
// commit: one goroutine takes the waiting writes and applies them in a
// single bbolt transaction, so concurrent writers share one fsync. A lone
// writer is committed at once, without waiting for company.

// maxGroup bounds the writes applied in one transaction.
const maxGroup = 256

// writeRequest is one write waiting for the commit loop. fn may run more
// than once (alone, after a group it was in failed), so it must reset any
// result it records before doing anything else.
type writeRequest struct {
	fn   func(tx *bolt.Tx) error
	done chan error
}

var errClosed = errors.New("ddblocal: database is closed")

// write runs fn in a read-write transaction shared with other concurrent
// writes and returns once the transaction is durable (or failed).
func (db *DB) write(fn func(tx *bolt.Tx) error) error {
	req := &writeRequest{fn: fn, done: make(chan error, 1)}
	select {
	case db.writes <- req:
	case <-db.ctx.Done():
		return errClosed
	}
	return <-req.done
}

// commitLoop applies queued writes until ctx is cancelled.
func (db *DB) commitLoop(ctx context.Context) {
	defer db.sweeper.Done()
	for {
		var first *writeRequest
		select {
		case first = <-db.writes:
		case <-ctx.Done():
			return
		}
		group := []*writeRequest{first}
	drain:
		for len(group) < maxGroup {
			select {
			case r := <-db.writes:
				group = append(group, r)
			default:
				break drain
			}
		}
		db.commitGroup(group)
	}
}

// commitGroup applies group in one transaction; should any write fail, the
// transaction is rolled back and each write is retried in its own, so one
// failure never undoes another request.
func (db *DB) commitGroup(group []*writeRequest) {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		for _, r := range group {
			if err := r.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil || len(group) == 1 {
		for _, r := range group {
			r.done <- err
		}
		return
	}
	for _, r := range group {
		r.done <- db.bolt.Update(r.fn)
	}
}

// update runs fn through the group commit. An *apiError from fn is the
// request's answer, not a storage failure: it is returned to the caller
// without failing the group. fn must therefore decide every such error
// before it changes anything.
func (db *DB) update(fn func(tx *bolt.Tx) error) error {
	var answer error
	err := db.write(func(tx *bolt.Tx) error {
		answer = nil
		err := fn(tx)
		var ae *apiError
		if errors.As(err, &ae) {
			answer = err
			return nil
		}
		return err
	})
	if err != nil {
		return err
	}
	return answer
}
