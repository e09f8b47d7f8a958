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
// failed resumes at the first statement that did not complete; that
// statement runs again, which is why migration statements should be safe
// to run twice (UPSERT rather than INSERT, UPDATE to fixed values). A file
// changed after it was applied is an error (*ChecksumError); a partly
// applied one may change only after its completed statements.
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
