package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
)

func TestCheckpointSaverWritesEveryNItemsAndOnInterruption(t *testing.T) {
	var mu sync.Mutex
	var saved []executor.Checkpoint
	save := func(_ context.Context, cp string) error {
		var c executor.Checkpoint
		if err := json.Unmarshal([]byte(cp), &c); err != nil {
			t.Errorf("saved %q: %v", cp, err)
		}
		mu.Lock()
		saved = append(saved, c)
		mu.Unlock()
		return nil
	}
	// An interval longer than the test: only the item count and the final
	// flush write.
	s := startCheckpointSaver(context.Background(), save, func(err error) { t.Errorf("lost: %v", err) }, 100, time.Hour, 0)
	for m := int64(10); m <= 250; m += 10 {
		s.offer(executor.Checkpoint{Table: "T", Path: "scan", Streams: []executor.StreamPosition{{}}, Matched: m})
		if m == 100 || m == 200 {
			// Let the saver write the checkpoint that came due.
			deadline := time.Now().Add(10 * time.Second)
			for {
				mu.Lock()
				n := len(saved)
				mu.Unlock()
				if n == int(m/100) || time.Now().After(deadline) {
					break
				}
				time.Sleep(time.Millisecond)
			}
		}
	}
	last := s.finish(context.Background(), false)
	mu.Lock()
	defer mu.Unlock()
	var got []int64
	for _, c := range saved {
		got = append(got, c.Matched)
	}
	if len(got) != 3 || got[0] != 100 || got[1] != 200 || got[2] != 250 {
		t.Errorf("saved checkpoints at %v items, want [100 200 250] (every 100, then the latest when interrupted)", got)
	}
	var c executor.Checkpoint
	if err := json.Unmarshal([]byte(last), &c); err != nil || c.Matched != 250 {
		t.Errorf("finish returned %q", last)
	}
}

func TestCheckpointSaverStopsTheRunWhenTheVersionIsTakenOver(t *testing.T) {
	lost := make(chan error, 1)
	s := startCheckpointSaver(context.Background(), func(context.Context, string) error {
		return ErrNotOwner
	}, func(err error) { lost <- err }, 1, time.Hour, 0)
	s.offer(executor.Checkpoint{Matched: 5})
	select {
	case err := <-lost:
		if !errors.Is(err, ErrNotOwner) {
			t.Errorf("lost with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run was not stopped")
	}
	s.finish(context.Background(), true)
}

func TestResumeCheckpointOnlyForTheSameStatement(t *testing.T) {
	p := testPart(t, "UPDATE t SET a = 1 WHERE b = 2;\nUPDATE t SET n = n + 1, m = true WHERE m IS MISSING;\n")
	cp, _ := json.Marshal(executor.Checkpoint{Table: "t", Path: "scan",
		Streams: []executor.StreamPosition{{Start: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "k1"}}}}, Written: 7})
	rec := &Record{Checkpoint: string(cp), CheckpointStatement: 2, CheckpointChecksum: p.prefixChecksum(2)}
	got, err := resumeCheckpoint(rec, p, 2)
	if err != nil || got == nil || got.Written != 7 || got.Streams[0].Start["id"].(*types.AttributeValueMemberS).Value != "k1" {
		t.Fatalf("resume of statement 2: %+v, %v", got, err)
	}
	if got, _ := resumeCheckpoint(rec, p, 1); got != nil {
		t.Errorf("statement 1 resumed from statement 2's checkpoint")
	}
	edited := testPart(t, "UPDATE t SET a = 1 WHERE b = 2;\nUPDATE t SET n = n + 2, m = true WHERE m IS MISSING;\n")
	if got, _ := resumeCheckpoint(rec, edited, 2); got != nil {
		t.Errorf("an edited statement resumed from its old text's checkpoint")
	}
}

// testPart parses text as the up part of a migration file.
func testPart(t *testing.T, text string) *Part {
	t.Helper()
	p, err := parsePart("0001_x.sql", strings.Split(text, "\n"), 1)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
