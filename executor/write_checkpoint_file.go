package executor

import (
	"context"
	"io"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// COPY ... FROM a file (or from the lines after it in a script) is a
// positioned read too, of one stream: its position is the number of
// records (lines, JSON documents) read before it, and a page is
// checkpointPageSize records. Resuming reads the records before the
// position again, without writing them, and goes on after them; the
// records after the last checkpoint are written again, which the INSERT
// then counts as written where it finds them stored as it inserts them.

// filePath is Checkpoint.Path for a file read, and fileRecords the
// attribute of StreamPosition.Start holding the records before the
// position.
const (
	filePath    = "file"
	fileRecords = "records"
)

// openPositionedFile opens the file of n as a positioned read, from
// wc.Resume if set.
func (e *Executor) openPositionedFile(ctx context.Context, env *env, n *planner.ReadFile, wc WriteCheckpoints) (*positionTracker, RowIter, error) {
	cp := wc.Resume
	if cp != nil && (cp.Table != n.Table || cp.Path != filePath || len(cp.Streams) != 1) {
		return nil, nil, sqlerr.New(objectNotInPrerequisiteState,
			"cannot resume this COPY from a checkpoint of a %s of %q", cp.Path, cp.Table).
			WithHint("the statement changed since the checkpoint was taken; restore it")
	}
	rows, err := e.openReadFile(ctx, n)
	if err != nil {
		return nil, nil, err
	}
	src := &filePages{rows: rows}
	tr := &positionTracker{table: n.Table, path: filePath, streams: make([]streamTrack, 1), on: wc.OnCheckpoint}
	if cp != nil {
		pos := cp.Streams[0]
		tr.streams[0].start, tr.streams[0].done = pos.Start, pos.Done
		tr.matched, tr.written, tr.skipped = cp.Matched, cp.Written, cp.Skipped
		skip, err := recordsOf(pos)
		if err == nil {
			err = src.skip(skip, pos.Done)
		}
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
	}
	it := &positionedIter{parent: ctx, table: n.Table, tr: tr, s: src}
	tr.iter = it
	return tr, it, nil
}

// recordsOf reads the records before a file position.
func recordsOf(pos StreamPosition) (int64, error) {
	if pos.Start == nil {
		return 0, nil
	}
	v, ok := pos.Start[fileRecords].(*types.AttributeValueMemberN)
	if ok {
		if n, err := strconv.ParseInt(v.Value, 10, 64); err == nil && n >= 0 {
			return n, nil
		}
	}
	return 0, sqlerr.New(objectNotInPrerequisiteState, "cannot resume this COPY: its checkpoint holds no record count")
}

// filePages cuts the records of a file into pages.
type filePages struct {
	rows RowIter
	read int64 // records read so far
	err  error // the error that ended the file, returned after the records before it
	done bool
}

// skip reads the first n records without yielding them; all, when the
// checkpoint says the file was done.
func (f *filePages) skip(n int64, all bool) error {
	for all || f.read < n {
		if _, err := f.rows.Next(); err == io.EOF {
			if all {
				f.done = true
				return nil
			}
			return sqlerr.New(objectNotInPrerequisiteState,
				"cannot resume this COPY: the checkpoint is after record %d, and the data has only %d", n, f.read).
				WithHint("the file changed since the checkpoint was taken; restore it")
		} else if err != nil {
			return err
		}
		f.read++
	}
	return nil
}

// nextPage reads up to checkpointPageSize records. A bad record ends the
// page before it; its error comes with the next call, so that the records
// before it are written first.
func (f *filePages) nextPage() (positionedPage, error) {
	if f.err != nil {
		return positionedPage{}, f.err
	}
	if f.done {
		return positionedPage{}, io.EOF
	}
	var items []Item
	for len(items) < checkpointPageSize {
		it, err := f.rows.Next()
		if err == io.EOF {
			f.done = true
			break
		}
		if err != nil {
			f.err = err
			if len(items) == 0 {
				return positionedPage{}, err
			}
			break
		}
		items = append(items, it)
		f.read++
	}
	end := Item{fileRecords: &types.AttributeValueMemberN{Value: strconv.FormatInt(f.read, 10)}}
	return positionedPage{items: items, end: end, last: f.done}, nil
}

func (f *filePages) close() { f.rows.Close() }
