package executor

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// pg_sleep waits, returns NULL, and stops at once with 57014 when the
// statement is cancelled or times out.
func TestPgSleep(t *testing.T) {
	got, err := evalSQL(t, &env{ctx: context.Background()}, "pg_sleep(0.01)", nil)
	if err != nil || !sameValue(got, nullValue) {
		t.Fatalf("pg_sleep(0.01) = %s, %v; want NULL", show(got), err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := evalSQL(t, &env{ctx: ctx}, "pg_sleep(600)", nil)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		var se *sqlerr.Error
		if !errors.As(err, &se) || se.Code != sqlerr.QueryCanceled || se.Message != "canceling statement due to user request" {
			t.Errorf("cancelled pg_sleep: %v, want 57014 canceling statement due to user request", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("pg_sleep ignored the cancellation")
	}

	for sql, code := range map[string]string{
		"pg_sleep()":     sqlerr.UndefinedFunction,
		"pg_sleep('x')":  sqlerr.DatatypeMismatch,
		"pg_sleep(-1)":   sqlerr.InvalidParameter,
		"pg_sleep(4000)": sqlerr.InvalidParameter,
	} {
		if _, err := evalSQL(t, &env{ctx: context.Background()}, sql, nil); sqlerr.Code(err) != code {
			t.Errorf("%s: %v, want %s", sql, err, code)
		}
	}
}
