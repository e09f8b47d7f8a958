package executor

import (
	"context"
	"testing"
	"time"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
)

// TestStatementWriteCapacityOverridesSession checks that a plan's
// write_capacity (from its statement's WITH clause) sets the budget of its
// writes in place of the session's, both ways: a limit where the session
// has none, and none where the session has one.
func TestStatementWriteCapacityOverridesSession(t *testing.T) {
	clock := &testbackend.FakeClock{}
	f, items, node := deleteEachOfTwenty()

	// The session sets no limit; the statement 4 units/s: 20 deletes of 1
	// unit, the bucket full (4) at the start, wait 4 s in all.
	e := New(f, Options{Concurrency: 1, Clock: clock, Session: budgetSession{rate: "0"}})
	plan := &planner.Plan{Root: node, Settings: map[string]string{SettingWriteCapacity: "4"}}
	if _, err := e.Run(context.Background(), plan, nil); err != nil {
		t.Fatal(err)
	}
	if slept, _ := clock.Slept(); slept < 3990*time.Millisecond || slept > 4010*time.Millisecond {
		t.Errorf("waited %v in all, want 4s", slept)
	}

	// The session limits to 1 unit/s; the statement lifts the limit.
	clock.Reset()
	f.addTable("T", "id", "", items...)
	e = New(f, Options{Concurrency: 1, Clock: clock, Session: budgetSession{rate: "1"}})
	plan = &planner.Plan{Root: node, Settings: map[string]string{SettingWriteCapacity: "0"}}
	if _, err := e.Run(context.Background(), plan, nil); err != nil {
		t.Fatal(err)
	}
	if slept, _ := clock.Slept(); slept != 0 {
		t.Errorf("waited %v though the statement lifted the limit", slept)
	}

	// Without statement settings the session's limit holds.
	f.addTable("T", "id", "", items...)
	if _, err := e.Run(context.Background(), &planner.Plan{Root: node}, nil); err != nil {
		t.Fatal(err)
	}
	if slept, _ := clock.Slept(); slept < 18990*time.Millisecond || slept > 19010*time.Millisecond {
		t.Errorf("waited %v under the session's 1 unit/s, want 19s", slept)
	}
}
