package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/migrate"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/repl"
	"github.com/ddbsql/ddbsql/session"
)

// exitLocked is migrate's status when another run holds the lock.
const exitLocked = 4

const migrateUsage = `Usage: ddbsql migrate up [--dry-run] [flags]   apply the pending migrations
       ddbsql migrate status [flags]           list versions and their state
       ddbsql migrate new NAME [--dir DIR]     create the next numbered file
       ddbsql migrate down [flags]             revert the last applied version

Runs the versioned SQL files of a directory (--dir, default "migrations"),
named VERSION_NAME.sql (0001_create_users.sql, 0002_backfill.sql, ...), in
version order. A file's up part is everything before a line "-- +down" (a
line "-- +up" may mark its start); the statements after "-- +down" revert
it. Lines "\set SETTING VALUE" change a session setting (such as
allow_full_table_write) for the statements after them.

History: one item per version in a DynamoDB table (--table, default
ddbsql_migrations, created on first use) with its checksum, state
(applying, applied, failed, reverting), time, duration and how many
statements completed. A file changed after it was applied is an error.
Progress is recorded after every statement and, inside a long UPDATE,
DELETE, INSERT ... SELECT or COPY FROM, as checkpoints of its read (every
2,000 items or 2 seconds): a run that was interrupted (killed, a statement
failed) resumes at the first statement that did not complete, from its
checkpoint; the items after the checkpoint are written again. There, an
INSERT (VALUES, SELECT, COPY) counts an identical existing item as written; an UPDATE whose SET reads the item
(SET n = n + 1) marks each item it updates (attribute "ddbsql:applied")
until the statement completes, so that none is updated twice. Write the
other statements so that repeating them for an item is harmless (CREATE
TABLE IF NOT EXISTS, UPSERT, DELETE, UPDATE setting fixed values).

Lock: a lock item with a lease (--lock-lease, renewed while running) keeps
two runs from applying at once; another run waits up to --lock-timeout,
then exits with status 4. The lease of a run that crashed expires.

Exit status: 0 success; 1 a migration failed, or an applied file changed;
2 bad usage, bad migration files or no connection; 3 interrupted; 4 the lock
is held by another run.

Flags:
`

// runMigrate runs `ddbsql migrate ACTION`.
func runMigrate(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ddbsql migrate", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	dir := fs.String("dir", "migrations", "directory of the migration files")
	table := fs.String("table", migrate.DefaultTable, "history table")
	dryRun := fs.Bool("dry-run", false, "up: print the EXPLAIN of every pending statement and run nothing")
	lockTimeout := fs.Duration("lock-timeout", 0, "how long to wait for a lock another run holds (0: exit at once with status 4)")
	lease := fs.Duration("lock-lease", migrate.DefaultLease, "lease of the lock: how long a crashed run keeps it")
	quiet := fs.Bool("q", false, "quiet: no progress lines")
	cpItems := fs.Int64("checkpoint-items", migrate.DefaultCheckpointItems, "store a running statement's checkpoint after this many items")
	cpEvery := fs.Duration("checkpoint-interval", migrate.DefaultCheckpointInterval, "store a running statement's checkpoint at least this often")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), migrateUsage)
		fs.PrintDefaults()
	}
	usage := func(err error) error { return &exitError{code: exitUsage, err: err} }
	// Flags may come before and after the action (and NAME).
	var positional []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil
			}
			return usage(errors.New(""))
		}
		if fs.NArg() == 0 {
			break
		}
		positional = append(positional, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(positional) == 0 {
		fs.Usage()
		return usage(errors.New("migrate needs an action: up, status, new NAME or down"))
	}
	action, params := positional[0], positional[1:]
	wantParams := map[string]int{"up": 0, "status": 0, "down": 0, "new": 1}
	n, known := wantParams[action]
	if !known {
		return usage(fmt.Errorf("migrate: unknown action %q (want up, status, new NAME or down)", action))
	}
	if len(params) != n {
		if action == "new" {
			return usage(errors.New("migrate new needs a NAME, such as create_users"))
		}
		return usage(fmt.Errorf("migrate %s: unexpected argument %q", action, params[0]))
	}
	if *dryRun && action != "up" {
		return usage(fmt.Errorf("--dry-run goes with migrate up"))
	}
	if *cpItems < 1 {
		return usage(fmt.Errorf("--checkpoint-items %d: want at least 1", *cpItems))
	}
	if *cpEvery < time.Millisecond {
		return usage(fmt.Errorf("--checkpoint-interval %s is too short", *cpEvery))
	}
	if *lease < 3*time.Millisecond {
		return usage(fmt.Errorf("--lock-lease %s is too short", *lease))
	}

	if action == "new" {
		path, err := migrate.New(*dir, params[0])
		if err != nil {
			return usage(err)
		}
		fmt.Println(path)
		return nil
	}
	// Bad files are a usage problem, found before connecting.
	if _, err := migrate.Load(*dir); err != nil {
		return usage(err)
	}
	client, err := conn.connect(ctx)
	if err != nil {
		return usage(err)
	}
	sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
	var out io.Writer = os.Stdout
	if *quiet {
		out = nil
	}
	r := &migrate.Runner{Session: sess, API: client, Dir: *dir, Table: *table,
		Lease: *lease, LockTimeout: *lockTimeout, Out: out,
		CheckpointItems: *cpItems, CheckpointInterval: *cpEvery}
	sess.OnNotice = func(msg string) {
		if !*quiet {
			fmt.Fprintln(os.Stderr, "WARNING: ", msg)
		}
	}

	switch {
	case action == "status":
		states, err := r.Status(ctx)
		if err != nil {
			return migrateFailure(ctx, err)
		}
		printStatus(os.Stdout, states)
		for _, s := range states {
			if s.State == "changed" {
				return &exitError{code: exitStatement, err: fmt.Errorf("%s changed after it was applied", s.Migration.Path)}
			}
		}
		return nil
	case action == "up" && *dryRun:
		return migrateFailure(ctx, r.DryRun(ctx, os.Stdout))
	case action == "up":
		_, err := r.Up(ctx)
		return migrateFailure(ctx, err)
	default: // down
		_, err := r.Down(ctx)
		return migrateFailure(ctx, err)
	}
}

// migrateFailure turns a Runner's error into the exit status and message.
func migrateFailure(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	var locked *migrate.LockedError
	var stmt *migrate.StatementError
	switch {
	case errors.As(err, &locked):
		return &exitError{code: exitLocked, err: err}
	case errors.As(err, &stmt):
		fmt.Fprint(os.Stderr, repl.FormatError(stmt.File, stmt.Chunk, stmt.Err))
		done := "the statements before it completed"
		if stmt.Done < stmt.Index-1 {
			done = fmt.Sprintf("the transaction it was part of was not applied, the %d statements before that transaction completed", stmt.Done)
		}
		return &exitError{code: exitStatement, err: fmt.Errorf("migration failed at statement %d of %d of %s; %s: fix the file and run migrate up again to continue from there",
			stmt.Index, stmt.Statements, stmt.File, done)}
	case ctx.Err() != nil:
		return &exitError{code: exitCanceled, err: errors.New("interrupted: run the same command again to continue")}
	}
	return &exitError{code: exitStatement, err: err}
}

// printStatus writes the versions as a table.
func printStatus(w io.Writer, states []migrate.State) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSION\tNAME\tSTATE\tAPPLIED AT\tDURATION\tSTATEMENTS")
	for _, s := range states {
		applied, duration, progress := "-", "-", "-"
		if rec := s.Record; rec != nil {
			if !rec.AppliedAt.IsZero() {
				applied = rec.AppliedAt.UTC().Format(time.RFC3339)
			}
			if rec.Status == migrate.Applied || rec.Status == migrate.Failed {
				duration = fmt.Sprintf("%d ms", rec.DurationMs)
			}
			progress = fmt.Sprintf("%d/%d", rec.LastStatement, rec.Statements)
		} else if s.Migration != nil {
			progress = fmt.Sprintf("0/%d", s.Migration.Up.Statements)
		}
		fmt.Fprintf(tw, "%04d\t%s\t%s\t%s\t%s\t%s\n", s.Version, s.Name, s.State, applied, duration, progress)
	}
	tw.Flush()
	for _, s := range states {
		if s.Record != nil && s.Record.Status == migrate.Failed && s.Record.Error != "" {
			fmt.Fprintf(w, "%04d failed: %s\n", s.Version, strings.ReplaceAll(s.Record.Error, "\n", " "))
		}
		if s.Record != nil && s.Record.Checkpoint != "" {
			var cp executor.Checkpoint
			if err := json.Unmarshal([]byte(s.Record.Checkpoint), &cp); err == nil {
				how := "migrate up resumes it there"
				if cp.Unmarking {
					how = "every item was updated; migrate up removes the marks (" + executor.MarkAttribute + ") left on them"
				}
				fmt.Fprintf(w, "%04d statement %d of %d stopped at a checkpoint: %d items written, %d skipped; %s\n",
					s.Version, s.Record.CheckpointStatement, s.Record.Statements, cp.Written, cp.Skipped, how)
			}
		}
	}
}
