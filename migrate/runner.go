package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// DefaultTable is the default name of the history table.
const DefaultTable = "ddbsql_migrations"

// Runner applies the migrations of one directory through one session.
type Runner struct {
	// Session runs the statements of the files (and creates the history
	// table); API reads and writes the history and the lock.
	Session *session.Session
	API     API
	// Dir holds the migration files; Table is the history table
	// (DefaultTable when empty).
	Dir, Table string
	// Lease is how long the lock lasts unless renewed (DefaultLease when
	// zero); LockTimeout how long to wait for a lock another run holds
	// (zero: fail at once with a *LockedError).
	Lease, LockTimeout time.Duration
	// Out receives one line per migration started and finished; nil
	// discards them. Notices of statements go there too.
	Out io.Writer
	// CheckpointItems and CheckpointInterval pace the checkpoints of a
	// running set-based write in the history: one when this many more
	// items were handled, or this much time has passed, since the last
	// (DefaultCheckpointItems and DefaultCheckpointInterval when zero).
	CheckpointItems    int64
	CheckpointInterval time.Duration
}

// ChecksumError is returned when an applied file has changed since it was
// applied, or when a partly applied file changed in the statements that
// already ran.
type ChecksumError struct {
	File    string
	Version int
	Partial bool // only the statements already run were compared
}

func (e *ChecksumError) Error() string {
	if e.Partial {
		return fmt.Sprintf("%s changed in the statements that already ran (version %d was partly applied): restore them, or add a new migration", e.File, e.Version)
	}
	return fmt.Sprintf("%s changed after it was applied (its checksum differs from the one recorded for version %d): restore it and put the change in a new migration", e.File, e.Version)
}

// StatementError is a statement of a migration that failed.
type StatementError struct {
	// File is the migration's path; Chunk the statement, located in it.
	File  string
	Chunk parser.Chunk
	// Index is the statement's number in its part (1 is the first), of
	// Statements; Done the statements completed before it, which the next
	// run skips (Index - 1, or the statement before the BEGIN of the
	// transaction Index was part of).
	Index, Statements, Done int
	Err                     error
}

func (e *StatementError) Error() string {
	return fmt.Sprintf("%s:%d: statement %d of %d: %v", e.File, e.Chunk.Pos.Line, e.Index, e.Statements, e.Err)
}

func (e *StatementError) Unwrap() error { return e.Err }

// State is one line of Status: a file, a history record, or both.
type State struct {
	Version int
	Name    string
	// State is pending, applying, applied, failed, reverting, changed (an
	// applied file whose checksum differs) or missing (recorded, but no
	// file).
	State     string
	Record    *Record // nil when pending
	Migration *Migration
}

func (r *Runner) table() string {
	if r.Table == "" {
		return DefaultTable
	}
	return r.Table
}

func (r *Runner) history() *history { return &history{api: r.API, table: r.table()} }

func (r *Runner) logf(format string, args ...any) {
	if r.Out != nil {
		fmt.Fprintf(r.Out, format+"\n", args...)
	}
}

// Status lists every version, from the files and the history table.
func (r *Runner) Status(ctx context.Context) ([]State, error) {
	migs, err := Load(r.Dir)
	if err != nil {
		return nil, err
	}
	recs, _, err := r.history().read(ctx)
	if err != nil {
		return nil, err
	}
	return merge(migs, recs), nil
}

func merge(migs []*Migration, recs map[int]*Record) []State {
	var out []State
	seen := map[int]bool{}
	for _, m := range migs {
		seen[m.Version] = true
		s := State{Version: m.Version, Name: m.Name, State: "pending", Migration: m}
		if rec := recs[m.Version]; rec != nil {
			s.Record = rec
			s.State = string(rec.Status)
			if rec.Status == Applied && rec.Checksum != m.Up.Checksum {
				s.State = "changed"
			}
		}
		out = append(out, s)
	}
	for v, rec := range recs {
		if !seen[v] {
			out = append(out, State{Version: v, Name: rec.Name, State: "missing", Record: rec})
		}
	}
	// Keep versions in order (missing ones were appended).
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Version < out[j-1].Version; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// step is one migration up must run, with the number of its statements
// already done and its record, if any.
type step struct {
	mig  *Migration
	done int
	rec  *Record
}

// pending checks the files against the history and returns what up must
// run, in order.
func pending(migs []*Migration, recs map[int]*Record) ([]step, error) {
	var steps []step
	highestApplied := 0
	for _, m := range migs {
		rec := recs[m.Version]
		if rec != nil && rec.Status == Applied && m.Version > highestApplied {
			highestApplied = m.Version
		}
	}
	for _, m := range migs {
		rec := recs[m.Version]
		switch {
		case rec == nil:
			if m.Version < highestApplied {
				return nil, fmt.Errorf("%s is pending but version %d is already applied: give it a version after %d", m.Path, highestApplied, highestApplied)
			}
			steps = append(steps, step{mig: m})
		case rec.Status == Applied:
			if rec.Checksum != m.Up.Checksum {
				return nil, &ChecksumError{File: m.Path, Version: m.Version}
			}
		case rec.Status == Reverting:
			return nil, fmt.Errorf("version %d (%s) is being reverted: run migrate down to finish reverting it", m.Version, m.Path)
		default: // applying or failed: resume after the completed statements
			done := rec.LastStatement
			if done > m.Up.Statements || rec.Checksum != m.Up.Checksum && m.Up.prefixChecksum(done) != rec.DoneChecksum {
				return nil, &ChecksumError{File: m.Path, Version: m.Version, Partial: true}
			}
			steps = append(steps, step{mig: m, done: done, rec: rec})
		}
	}
	return steps, nil
}

// Up applies every pending migration in order, statement by statement,
// under the lock. The history records, after each statement, how many
// completed, so a run that was killed resumes, when run again, after the
// last completed statement; the statement that was running is run again.
// It returns how many migrations it applied.
func (r *Runner) Up(ctx context.Context) (int, error) {
	migs, err := Load(r.Dir)
	if err != nil {
		return 0, err
	}
	n := 0
	err = r.locked(ctx, func(ctx context.Context, h *history) error {
		recs, _, err := h.read(ctx)
		if err != nil {
			return err
		}
		steps, err := pending(migs, recs)
		if err != nil {
			return err
		}
		if len(steps) == 0 {
			r.logf("no pending migrations")
			return nil
		}
		for _, s := range steps {
			if err := r.apply(ctx, h, s); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// locked takes the lock (creating the history table first), runs fn with a
// context cancelled if the lock is lost, and releases the lock.
func (r *Runner) locked(ctx context.Context, fn func(ctx context.Context, h *history) error) error {
	h := r.history()
	if err := h.ensure(ctx, r.Session); err != nil {
		return err
	}
	lease := r.Lease
	if lease <= 0 {
		lease = DefaultLease
	}
	l := &lock{api: r.API, table: h.table, owner: newOwner(), lease: lease}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	h.owner, h.lost = l.owner, cancel
	if err := l.acquire(ctx, r.LockTimeout, cancel); err != nil {
		return err
	}
	err := fn(ctx, h)
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		err = cause
	}
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer rcancel()
	if rerr := l.release(rctx); rerr != nil && err == nil {
		err = rerr
	}
	return err
}

// apply runs one migration's up part from statement s.done+1.
func (r *Runner) apply(ctx context.Context, h *history, s step) error {
	m := s.mig
	rec := &Record{Version: m.Version, Name: m.Name, Checksum: m.Up.Checksum, Status: Applying,
		Statements: m.Up.Statements, LastStatement: s.done, DoneChecksum: m.Up.prefixChecksum(s.done), StartedAt: time.Now(),
		Owner: h.owner}
	if s.rec != nil && !s.rec.StartedAt.IsZero() {
		rec.StartedAt = s.rec.StartedAt
	}
	if s.rec != nil {
		rec.Checkpoint, rec.CheckpointStatement, rec.CheckpointChecksum = s.rec.Checkpoint, s.rec.CheckpointStatement, s.rec.CheckpointChecksum
	}
	if s.done > 0 {
		r.logf("resuming %s after statement %d of %d", m.File, s.done, m.Up.Statements)
	} else {
		r.logf("applying %s (%d statements)", m.File, m.Up.Statements)
	}
	if err := h.put(ctx, rec); err != nil {
		return err
	}
	// duration_ms adds up the time of every run that worked on the version.
	var before int64
	if s.rec != nil {
		before = s.rec.DurationMs
	}
	start := time.Now()
	err := r.runPart(ctx, h, rec, m.Path, m.Up, s.done, s.rec != nil, func(n int) error {
		return h.progress(ctx, m.Version, n, m.Up.prefixChecksum(n))
	})
	if err != nil {
		var se *StatementError
		if errors.As(err, &se) {
			rec.Status = Failed
			rec.LastStatement = se.Done
			rec.DoneChecksum = m.Up.prefixChecksum(rec.LastStatement)
			rec.Error = fmt.Sprintf("%s:%d: %s", m.File, se.Chunk.Pos.Line, sqlerr.As(se.Err).Message)
			rec.DurationMs = before + time.Since(start).Milliseconds()
			if perr := h.put(context.WithoutCancel(ctx), rec); perr != nil {
				return errors.Join(err, perr)
			}
		}
		return err
	}
	rec.Status = Applied
	rec.LastStatement = m.Up.Statements
	rec.DoneChecksum = m.Up.prefixChecksum(m.Up.Statements)
	rec.AppliedAt = time.Now()
	rec.DurationMs = before + rec.AppliedAt.Sub(start).Milliseconds()
	if err := h.put(ctx, rec); err != nil {
		return err
	}
	r.logf("applied %s in %d ms", m.File, time.Since(start).Milliseconds())
	return nil
}

// runPart runs the statements of p after the first done, applying every
// \set line on the way (those before the resume point too, so that the
// settings are as an uninterrupted run has them), and calls completed with
// the number of statements done after each one. rec is the version's
// record: the first statement resumes from its checkpoint, if it holds
// one of that statement, and a statement that does not complete leaves
// its latest checkpoint in it. rerun says an earlier run worked on the
// part: its first statement may have written part of its items (or all,
// when the run ended before recording it), which an INSERT then counts
// as written where it finds them stored as it would insert them.
//
// The statements of a transaction (BEGIN ... COMMIT) are recorded together
// when it ends, since none is applied before COMMIT: a run that stops
// inside one resumes at its BEGIN. Each BEGIN takes a ClientRequestToken
// that every run of the file repeats (transactionToken), so that a rerun's
// COMMIT of a transaction an interrupted run committed, but did not get to
// record, is not applied twice — within the 10 minutes DynamoDB remembers
// a token.
func (r *Runner) runPart(ctx context.Context, h *history, rec *Record, path string, p *Part, done int, rerun bool, completed func(n int) error) error {
	n := 0
	// recorded is the count of statements recorded as completed; begun the
	// BEGIN of the transaction open, if any.
	recorded, begun := done, 0
	var begunChunk parser.Chunk
	fail := func(chunk parser.Chunk, index int, err error) error {
		if r.Session.InTransaction() {
			r.Session.Abandon()
		}
		return &StatementError{File: path, Chunk: chunk, Index: index, Statements: p.Statements, Done: recorded, Err: err}
	}
	for _, st := range p.Steps {
		if st.Setting != "" {
			if err := r.Session.Set(st.Setting, st.Value); err != nil {
				return fail(st.Chunk, n+1, err)
			}
			continue
		}
		n++
		if n <= done {
			continue
		}
		resume, err := resumeCheckpoint(rec, p, n)
		if err != nil {
			return fail(st.Chunk, n, err)
		}
		if resume != nil {
			r.logf("resuming statement %d of %d from a checkpoint (%d items written)", n, p.Statements, resume.Written)
		}
		checksum := p.prefixChecksum(n)
		saver := startCheckpointSaver(ctx, func(ctx context.Context, cp string) error {
			return h.checkpoint(ctx, rec.Version, n, checksum, cp)
		}, h.lost, r.checkpointItems(), r.checkpointInterval(), matchedOf(resume))
		sctx := executor.WithWriteCheckpoints(ctx, executor.WriteCheckpoints{Resume: resume, OnCheckpoint: saver.offer,
			Repeat: rerun && n == done+1,
			Mark:   statementMark(rec.Version, n, checksum), OnUpdated: func(cp executor.Checkpoint) error { return saver.store(ctx, cp) }})
		if !r.Session.InTransaction() {
			sctx = session.WithTransactionToken(sctx, transactionToken(rec.Version, n, checksum))
		}
		err = r.runStatement(sctx, st.Chunk)
		if saved := saver.finish(ctx, err == nil); err != nil {
			if saved != "" {
				rec.Checkpoint, rec.CheckpointStatement, rec.CheckpointChecksum = saved, n, checksum
			}
			if ctx.Err() != nil {
				if r.Session.InTransaction() {
					r.Session.Abandon()
				}
				return context.Cause(ctx)
			}
			return fail(st.Chunk, n, err)
		}
		rec.Checkpoint, rec.CheckpointStatement, rec.CheckpointChecksum = "", 0, ""
		if r.Session.InTransaction() {
			if begun == 0 {
				begun, begunChunk = n, st.Chunk
			}
			continue // recorded with the transaction's end
		}
		begun = 0
		if err := completed(n); err != nil {
			return err
		}
		recorded = n
	}
	if begun != 0 {
		return fail(begunChunk, begun, sqlerr.New(sqlerr.InvalidTransactionState,
			"the transaction begun by statement %d is still open at the end of the file", begun).
			WithHint("end it with COMMIT (or ROLLBACK); nothing of it was applied"))
	}
	return nil
}

// transactionToken is the ClientRequestToken of the transaction BEGIN
// statement n of a version starts: the same in every run of the file.
func transactionToken(version, n int, checksum string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("ddbsql migration %d/%d/%s", version, n, checksum)))
	return hex.EncodeToString(sum[:16])
}

// statementMark is the mark an UPDATE of statement n of a version stamps
// its items with (executor.WriteCheckpoints.Mark): the same in every run of
// the statement, different for another statement or another text of it.
func statementMark(version, n int, checksum string) string {
	return fmt.Sprintf("%04d/%d/%.12s", version, n, checksum)
}

func (r *Runner) checkpointItems() int64 {
	if r.CheckpointItems > 0 {
		return r.CheckpointItems
	}
	return DefaultCheckpointItems
}

func (r *Runner) checkpointInterval() time.Duration {
	if r.CheckpointInterval > 0 {
		return r.CheckpointInterval
	}
	return DefaultCheckpointInterval
}

// matchedOf is the count of items a resumed statement had handled.
func matchedOf(cp *executor.Checkpoint) int64 {
	if cp == nil {
		return 0
	}
	return cp.Matched
}

// runStatement runs one statement, reading and discarding any rows.
func (r *Runner) runStatement(ctx context.Context, chunk parser.Chunk) error {
	stmt, err := parser.ParseOne(chunk.Text)
	if err != nil {
		return err
	}
	res, err := r.Session.Run(ctx, stmt, nil)
	if err != nil {
		return err
	}
	if res.Rows != nil {
		defer res.Rows.Close()
		for {
			if _, err := res.Rows.Next(); err != nil {
				if err == io.EOF {
					break
				}
				return err
			}
		}
	}
	for _, n := range res.Notices {
		r.logf("NOTICE:  %s", n)
	}
	return nil
}

// Down reverts the last version in the history (the highest one, applied or
// not) by running its file's down part, then removes its record. It
// returns the version reverted, 0 when there is none.
func (r *Runner) Down(ctx context.Context) (int, error) {
	migs, err := Load(r.Dir)
	if err != nil {
		return 0, err
	}
	byVersion := map[int]*Migration{}
	for _, m := range migs {
		byVersion[m.Version] = m
	}
	reverted := 0
	err = r.locked(ctx, func(ctx context.Context, h *history) error {
		recs, _, err := h.read(ctx)
		if err != nil {
			return err
		}
		var rec *Record
		for _, x := range recs {
			if rec == nil || x.Version > rec.Version {
				rec = x
			}
		}
		if rec == nil {
			r.logf("nothing to revert")
			return nil
		}
		m := byVersion[rec.Version]
		if m == nil {
			return fmt.Errorf("version %d (%s) is in the history but its file is not in %s", rec.Version, rec.Name, r.Dir)
		}
		if m.Down == nil {
			return fmt.Errorf("%s has no down part (a line %q followed by the statements that revert it)", m.Path, downMarker)
		}
		done, rerun := 0, rec.Status == Reverting
		if rerun {
			done = rec.LastStatement
			if done > m.Down.Statements || m.Down.prefixChecksum(done) != rec.DoneChecksum {
				return &ChecksumError{File: m.Path, Version: m.Version, Partial: true}
			}
			r.logf("resuming the revert of %s after statement %d of %d", m.File, done, m.Down.Statements)
		} else {
			r.logf("reverting %s (%s, %d statements)", m.File, rec.Status, m.Down.Statements)
		}
		if rec.Status != Reverting {
			// A checkpoint of the up part means nothing to the down part.
			rec.Checkpoint, rec.CheckpointStatement, rec.CheckpointChecksum = "", 0, ""
		}
		rec.Status, rec.LastStatement, rec.DoneChecksum, rec.Owner = Reverting, done, m.Down.prefixChecksum(done), h.owner
		if err := h.put(ctx, rec); err != nil {
			return err
		}
		err = r.runPart(ctx, h, rec, m.Path, m.Down, done, rerun, func(n int) error {
			return h.progress(ctx, m.Version, n, m.Down.prefixChecksum(n))
		})
		if err != nil {
			return err
		}
		if err := h.remove(ctx, m.Version); err != nil {
			return err
		}
		r.logf("reverted %s", m.File)
		reverted = m.Version
		return nil
	})
	return reverted, err
}

// DryRun writes to w the EXPLAIN of every statement up would run, without
// running anything, taking the lock or creating the history table. DDL and
// other statements EXPLAIN does not take are printed as they are; a
// statement that cannot be planned yet (its table is created by an earlier
// pending statement) is printed with the reason.
func (r *Runner) DryRun(ctx context.Context, w io.Writer) error {
	migs, err := Load(r.Dir)
	if err != nil {
		return err
	}
	recs, _, err := r.history().read(ctx)
	if err != nil {
		return err
	}
	steps, err := pending(migs, recs)
	if err != nil {
		return err
	}
	if len(steps) == 0 {
		fmt.Fprintln(w, "no pending migrations")
		return nil
	}
	for _, s := range steps {
		m := s.mig
		if s.done > 0 {
			fmt.Fprintf(w, "-- %s: would resume after statement %d of %d\n", m.File, s.done, m.Up.Statements)
		} else {
			fmt.Fprintf(w, "-- %s: would apply %d statements\n", m.File, m.Up.Statements)
		}
		n := 0
		for _, st := range m.Up.Steps {
			if st.Setting != "" {
				fmt.Fprintf(w, "%s:%d: %s\n", m.File, st.Chunk.Pos.Line, st.Chunk.Text)
				if err := r.Session.Set(st.Setting, st.Value); err != nil {
					return &StatementError{File: m.Path, Chunk: st.Chunk, Index: n + 1, Statements: m.Up.Statements, Done: n, Err: err}
				}
				continue
			}
			n++
			if n <= s.done {
				continue
			}
			fmt.Fprintf(w, "%s:%d: %s;\n", m.File, st.Chunk.Pos.Line, oneLine(st.Chunk.Text))
			if err := r.explain(ctx, w, st.Chunk); err != nil {
				var se *StatementError
				if errors.As(err, &se) {
					se.File, se.Index, se.Statements, se.Done = m.Path, n, m.Up.Statements, n-1
				}
				return err
			}
		}
	}
	return nil
}

// explain prints the plan of one statement, indented.
func (r *Runner) explain(ctx context.Context, w io.Writer, chunk parser.Chunk) error {
	stmt, err := parser.ParseOne(chunk.Text)
	if err != nil {
		return &StatementError{Chunk: chunk, Err: err}
	}
	switch stmt.(type) {
	case *parser.Select, *parser.Insert, *parser.Update, *parser.Delete:
	default:
		fmt.Fprintln(w, "    (runs as written; EXPLAIN does not apply)")
		return nil
	}
	res, err := r.Session.Run(ctx, &parser.Explain{Pos: stmt.Position(), Stmt: stmt}, nil)
	if err != nil {
		fmt.Fprintf(w, "    (not planned: %v)\n", err)
		return nil
	}
	defer res.Rows.Close()
	for {
		row, err := res.Rows.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "    %s\n", explainLine(row))
	}
}

// explainLine is the text of one row of EXPLAIN's result.
func explainLine(row executor.Item) string {
	for _, v := range row {
		if s, ok := v.(*types.AttributeValueMemberS); ok {
			return s.Value
		}
	}
	return ""
}

// oneLine folds a statement's white space for the dry run's headings.
func oneLine(text string) string {
	return strings.Join(strings.Fields(text), " ")
}
