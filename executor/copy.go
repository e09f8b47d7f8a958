package executor

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// COPY moves items between DynamoDB and files. An import is a PutItems
// over the file's items (a ReadFile node), so it writes as INSERT ... SELECT
// does and, like it, stops at the first bad item with the count of items
// written before it. An export writes the rows of its read with the format
// package's writers, to a file or, for COPY ... TO STDOUT, to the front
// end, which is handed the rows and the format to write them in.

// CopyOutput is the format in which a front end must write the rows of
// COPY ... TO STDOUT, whatever its own output format.
type CopyOutput struct {
	// Format is a format.New name.
	Format string
	// Options are the writer's options: no footer, NULL as an empty csv
	// field, and the statement's csv delimiter and header choice.
	Options format.Options
}

// undefinedFile is PostgreSQL's SQLSTATE for a file that cannot be opened.
const undefinedFile = "58P01"

// copyOptions returns the writer options of an export: csv's NULL is an
// empty field, as in PostgreSQL's CSV, so that the file reads back without
// turning NULL into the string "NULL".
func copyOptions(n *planner.CopyTo) format.Options {
	return format.Options{Delimiter: n.Delimiter, NoHeader: n.NoHeader}
}

// copyFrom runs COPY t FROM 'file'.
func (e *Executor) copyFrom(ctx context.Context, env *env, n *planner.CopyFrom) (*Result, error) {
	res, err := e.putItems(ctx, env, n.Write)
	if err != nil {
		return nil, err
	}
	res.Tag = "COPY " + strconv.FormatInt(res.RowsAffected, 10)
	return res, nil
}

// openReadFile opens the file of a ReadFile node.
func (e *Executor) openReadFile(n *planner.ReadFile) (RowIter, error) {
	f, err := os.Open(n.File)
	if err != nil {
		return nil, fileError(err, n.File, "reading")
	}
	r, err := format.NewReader(string(n.Format), f, format.ReadOptions{Delimiter: n.Delimiter})
	if err != nil {
		f.Close()
		return nil, err
	}
	return &fileRows{f: f, r: r, n: n}, nil
}

// fileError describes a file that cannot be opened or written.
func fileError(err error, file, verb string) error {
	var pe *fs.PathError
	msg := err.Error()
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	return &sqlerr.Error{Code: undefinedFile, Message: fmt.Sprintf("could not open file %q for %s: %s", file, verb, msg), Err: err,
		Hint: "COPY names files relative to the working directory of ddbsql"}
}

// fileRows yields the items of a file, checking that each holds the key.
type fileRows struct {
	f *os.File
	r format.ItemReader
	n *planner.ReadFile
}

func (r *fileRows) Next() (Item, error) {
	if r.f == nil {
		return nil, io.EOF
	}
	it, err := r.r.Next()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, r.fail(err)
	}
	for _, k := range r.n.KeyAttrs {
		if _, ok := it[k]; !ok {
			return nil, r.fail(&sqlerr.Error{Code: "23502",
				Message: fmt.Sprintf("line %d: the item has no key attribute %q", r.r.Line(), k)})
		}
	}
	return it, nil
}

// fail names the file in err, whose message starts with the line.
func (r *fileRows) fail(err error) error {
	var se *sqlerr.Error
	if !errors.As(err, &se) {
		return &sqlerr.Error{Code: sqlerr.InvalidText, Message: fmt.Sprintf("file %q: %s", r.n.File, err), Err: err}
	}
	c := *se
	c.Message = fmt.Sprintf("file %q, %s", r.n.File, se.Message)
	return &c
}

func (r *fileRows) Close() error {
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}

// copyTo runs COPY ... TO 'file' | STDOUT.
func (e *Executor) copyTo(ctx context.Context, env *env, n *planner.CopyTo) (*Result, error) {
	if n.Stdout {
		rows, err := e.open(ctx, env, n.Input)
		if err != nil {
			return nil, err
		}
		return &Result{Columns: n.Columns, KeyColumns: n.KeyColumns, Rows: rows, Tag: "COPY",
			Copy: &CopyOutput{Format: string(n.Format), Options: copyOptions(n)}}, nil
	}
	// The rows go to a temporary file beside the target, renamed over it
	// once complete, so a failed export never leaves half a file behind.
	dir, base := filepath.Split(n.File)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return nil, fileError(err, n.File, "writing")
	}
	defer func() {
		if tmp != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	rows, err := e.open(ctx, env, n.Input)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := bufio.NewWriterSize(tmp, 64<<10)
	w, err := format.New(string(n.Format), out, copyOptions(n))
	if err != nil {
		return nil, err
	}
	if err := w.Begin(n.Columns, n.KeyColumns); err != nil {
		return nil, writeFileError(err, n.File)
	}
	var count int64
	for {
		it, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if err := w.Row(it); err != nil {
			return nil, writeFileError(err, n.File)
		}
		count++
	}
	if err := w.End(); err != nil {
		return nil, writeFileError(err, n.File)
	}
	if err := out.Flush(); err != nil {
		return nil, writeFileError(err, n.File)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return nil, writeFileError(err, n.File)
	}
	if err := tmp.Close(); err != nil {
		return nil, writeFileError(err, n.File)
	}
	if err := os.Rename(tmp.Name(), n.File); err != nil {
		return nil, writeFileError(err, n.File)
	}
	tmp = nil
	return &Result{Tag: "COPY " + strconv.FormatInt(count, 10), RowsAffected: count}, nil
}

// writeFileError names the file a write failed on.
func writeFileError(err error, file string) error {
	var se *sqlerr.Error
	if errors.As(err, &se) {
		c := *se
		c.Message = fmt.Sprintf("file %q: %s", file, se.Message)
		return &c
	}
	return &sqlerr.Error{Code: "58030", Message: fmt.Sprintf("could not write file %q: %v", file, err), Err: err}
}
