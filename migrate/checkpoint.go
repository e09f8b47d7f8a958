package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/ddbsql/ddbsql/executor"
)

// Defaults of Runner.CheckpointItems and Runner.CheckpointInterval: a
// checkpoint costs one small write to the history table, so a few per
// second at most, and at least one every couple of seconds so that a
// killed run repeats little.
const (
	DefaultCheckpointItems    = 2000
	DefaultCheckpointInterval = 2 * time.Second
)

// checkpointSaver records the checkpoints of one running statement in the
// history table: the executor offers each one as the statement's read
// advances, and a goroutine writes the latest when CheckpointItems more
// items were handled since the last one written, or CheckpointInterval has
// passed.
type checkpointSaver struct {
	save     func(ctx context.Context, cp string) error
	lost     func(error)
	every    int64
	interval time.Duration

	flushing sync.Mutex
	mu       sync.Mutex
	latest   *executor.Checkpoint
	handled  int64  // Matched of the checkpoint written last
	saved    string // the checkpoint written last, as JSON

	wake, stop, done chan struct{}
}

func startCheckpointSaver(ctx context.Context, save func(context.Context, string) error, lost func(error), every int64, interval time.Duration, from int64) *checkpointSaver {
	s := &checkpointSaver{save: save, lost: lost, every: every, interval: interval, handled: from,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go s.run(ctx)
	return s
}

// offer is the statement's OnCheckpoint.
func (s *checkpointSaver) offer(cp executor.Checkpoint) {
	s.mu.Lock()
	s.latest = &cp
	due := cp.Matched-s.handled >= s.every
	s.mu.Unlock()
	if due {
		select {
		case s.wake <- struct{}{}:
		default:
		}
	}
}

func (s *checkpointSaver) run(ctx context.Context) {
	defer close(s.done)
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-s.wake:
		case <-t.C:
		}
		if err := s.flush(ctx); errors.Is(err, ErrNotOwner) {
			s.lost(err)
			return
		}
		// Other errors (a throttled or slow call) leave the checkpoint to
		// the next round.
	}
}

// store writes cp at once, after any checkpoint being written, and
// returns when it is recorded: a checkpoint the statement cannot go on
// without (executor.WriteCheckpoints.OnUpdated).
func (s *checkpointSaver) store(ctx context.Context, cp executor.Checkpoint) error {
	s.mu.Lock()
	s.latest = &cp
	s.mu.Unlock()
	return s.flush(ctx)
}

// flush writes the latest checkpoint if it was not written yet. Flushes
// run one at a time, so that an older checkpoint never overwrites a newer.
func (s *checkpointSaver) flush(ctx context.Context) error {
	s.flushing.Lock()
	defer s.flushing.Unlock()
	s.mu.Lock()
	cp := s.latest
	s.latest = nil
	s.mu.Unlock()
	if cp == nil {
		return nil
	}
	b, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	if err := s.save(ctx, string(b)); err != nil {
		s.mu.Lock()
		if s.latest == nil {
			s.latest = cp
		}
		s.mu.Unlock()
		return err
	}
	s.mu.Lock()
	s.handled, s.saved = cp.Matched, string(b)
	s.mu.Unlock()
	return nil
}

// finish stops the saver. A statement that did not complete (it failed or
// was interrupted) has its latest checkpoint written first, so that the
// next run repeats as little as possible; it returns the checkpoint
// recorded last ("" if none).
func (s *checkpointSaver) finish(ctx context.Context, completed bool) string {
	close(s.stop)
	<-s.done
	if !completed {
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		s.flush(fctx)
		cancel()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.saved
}

// resumeCheckpoint returns the checkpoint of rec to resume statement n of
// p from: nil when rec holds none for that statement, or the statements up
// to n changed since it was taken.
func resumeCheckpoint(rec *Record, p *Part, n int) (*executor.Checkpoint, error) {
	if rec == nil || rec.Checkpoint == "" || rec.CheckpointStatement != n || rec.CheckpointChecksum != p.prefixChecksum(n) {
		return nil, nil
	}
	var cp executor.Checkpoint
	if err := json.Unmarshal([]byte(rec.Checkpoint), &cp); err != nil {
		return nil, err
	}
	return &cp, nil
}
