// Package migrate runs versioned SQL migrations against DynamoDB: a
// directory of files named VERSION_NAME.sql (0001_create_users.sql,
// 0002_backfill_orders.sql, ...) applied in version order through a
// session, statement by statement. A file's up part is everything before a
// line "-- +down"; the statements after that line revert it. Lines
// "\set SETTING VALUE" change a session setting for the statements after
// them. A history table (DefaultTable, created on first use with CREATE
// TABLE IF NOT EXISTS) holds one item per version — checksum of the up
// part, status (applying, applied, failed, reverting), start and finish
// times, duration and the number of statements completed — and a lock item
// (version 0) whose lease, renewed while a run works, keeps two runs from
// applying at once and expires when a run crashes.
//
// Progress is written after every statement, so a run that was killed or
// failed resumes at the first statement that did not complete, telling
// the executor it may have written before (executor.WriteCheckpoints.Repeat:
// an INSERT counts items stored as it inserts them as written). Within a
// statement, a set-based write over a Query or Scan, and a COPY FROM,
// report checkpoints (executor.Checkpoint: a read position per scan
// segment or partition, or the records of the file read, and counts), which the runner writes to the version's item every
// CheckpointItems items or CheckpointInterval, on condition that the
// version is still its own; the next run resumes the statement from there.
// The items handled after the last checkpoint are written again, which is
// why statements must be safe to repeat: UPSERT; INSERT ... SELECT
// (resuming, an existing identical item counts as written); UPDATE to
// fixed values; an UPDATE whose SET reads the item (SET n = n + 1) is
// given a mark per statement (executor.WriteCheckpoints.Mark), which each
// item it updates carries until the statement completes, so that an item
// updated before the run died is not updated again. A file changed after it was
// applied is an error (*ChecksumError); a partly applied one may change
// only after its completed statements, and a checkpoint is used only while
// its statement is unchanged.
//
// Example:
//
//	client, _ := executor.NewClient(ctx, executor.ClientConfig{})
//	r := &migrate.Runner{
//		Session: session.New(client, session.Config{}),
//		API:     client,
//		Dir:     "migrations",
//		Out:     os.Stdout,
//	}
//	applied, err := r.Up(ctx)
//	var locked *migrate.LockedError
//	if errors.As(err, &locked) {
//		// another run is applying: try again later
//	}
//	_ = applied
package migrate
