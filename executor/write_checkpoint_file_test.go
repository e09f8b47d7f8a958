package executor

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// failingRows yields n items, then err.
type failingRows struct {
	n, i int
	err  error
}

func (r *failingRows) Next() (Item, error) {
	if r.i == r.n {
		return nil, r.err
	}
	r.i++
	return Item{"id": strV(fmt.Sprint(r.i))}, nil
}

func (r *failingRows) Close() error { return nil }

func recordsAt(pg positionedPage) string {
	return pg.end[fileRecords].(*types.AttributeValueMemberN).Value
}

// TestFilePages cuts records into pages of checkpointPageSize, each ending
// at its record count; a bad record ends the page before it, and its error
// comes on the next call.
func TestFilePages(t *testing.T) {
	bad := errors.New("line 1502: bad")
	f := &filePages{rows: &failingRows{n: checkpointPageSize + 501, err: bad}}
	pg, err := f.nextPage()
	if err != nil || len(pg.items) != checkpointPageSize || recordsAt(pg) != fmt.Sprint(checkpointPageSize) || pg.last {
		t.Fatalf("first page: %d items, end %v, last %v, %v", len(pg.items), pg.end, pg.last, err)
	}
	pg, err = f.nextPage()
	if err != nil || len(pg.items) != 501 || recordsAt(pg) != fmt.Sprint(checkpointPageSize+501) || pg.last {
		t.Fatalf("second page: %d items, end %v, last %v, %v", len(pg.items), pg.end, pg.last, err)
	}
	if _, err := f.nextPage(); err != bad {
		t.Fatalf("after the records before the bad one: %v, want its error", err)
	}

	// The end of the data: the last page says so, then io.EOF.
	f = &filePages{rows: &failingRows{n: 3, err: io.EOF}}
	if pg, err := f.nextPage(); err != nil || len(pg.items) != 3 || !pg.last || recordsAt(pg) != "3" {
		t.Fatalf("last page: %d items, last %v, %v", len(pg.items), pg.last, err)
	}
	if _, err := f.nextPage(); err != io.EOF {
		t.Fatalf("after the last page: %v, want io.EOF", err)
	}

	// Resuming skips the records a checkpoint covers; a checkpoint past
	// the end of the data is refused; a finished file yields nothing.
	f = &filePages{rows: &failingRows{n: 10, err: io.EOF}}
	if err := f.skip(4, false); err != nil {
		t.Fatal(err)
	}
	if pg, err := f.nextPage(); err != nil || len(pg.items) != 6 || pg.items[0]["id"].(*types.AttributeValueMemberS).Value != "5" {
		t.Fatalf("after skipping 4: %v, %v", pg.items, err)
	}
	f = &filePages{rows: &failingRows{n: 10, err: io.EOF}}
	if err := f.skip(11, false); sqlerr.Code(err) != objectNotInPrerequisiteState {
		t.Fatalf("skipping past the end: %v, want 55000", err)
	}
	f = &filePages{rows: &failingRows{n: 10, err: io.EOF}}
	if err := f.skip(0, true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.nextPage(); err != io.EOF {
		t.Fatalf("a finished file: %v, want io.EOF", err)
	}
}
