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

// CopyInRequest describes the data COPY ... FROM STDIN expects, for the
// front end that supplies it (a wire server announces it to the client in
// CopyInResponse).
type CopyInRequest struct {
	// Format is the statement's format: csv, text, binary, json, jsonl or
	// ddbjson.
	Format string
	// Columns is the number of fields of each csv or text line when the
	// statement names its attributes; 0 when a header row names them or
	// the format has no fields.
	Columns int
	// Table is the table written, and Attributes the statement's column
	// list (nil without one), for a source that decodes binary data by
	// the columns' types.
	Table      string
	Attributes []string
}

// CopyInItems is what a CopyInSource returns for the binary format: the
// front end decodes the data into items itself, since only it knows the
// column types that give the fields their meaning. The executor reads its
// items instead of parsing the stream (Read is not called), and closes it.
type CopyInItems interface {
	io.ReadCloser
	format.ItemReader
}

// CopyInSource opens the data of a COPY ... FROM STDIN that has started.
// It is called once, from the goroutine that called Run, when the import
// is about to read; the executor reads the returned stream to its end (or
// an error) and then closes it, and closes it early when the statement
// fails. The stream's read errors end the import with that error. For the
// binary format the stream must be a CopyInItems; front ends that cannot
// decode binary data return any other stream, and the import fails with
// 0A000.
type CopyInSource func(ctx context.Context, req CopyInRequest) (io.ReadCloser, error)

type copyInKey struct{}

// WithCopyIn returns ctx carrying the source of the data of
// COPY ... FROM STDIN run with it: each front end passes its own (the
// lines after the statement in a script, the CopyData messages of a wire
// client). Without one, COPY ... FROM STDIN fails with 0A000.
func WithCopyIn(ctx context.Context, src CopyInSource) context.Context {
	return context.WithValue(ctx, copyInKey{}, src)
}

// undefinedFile is PostgreSQL's SQLSTATE for a file that cannot be opened.
const undefinedFile = "58P01"

// copyOptions returns the writer options of an export: csv's NULL is an
// empty field, as in PostgreSQL's CSV, so that the file reads back without
// turning NULL into the string "NULL".
func copyOptions(n *planner.CopyTo) format.Options {
	return format.Options{Delimiter: n.Delimiter, NoHeader: n.NoHeader}
}

// copyFrom runs COPY t FROM 'file' | STDIN.
func (e *Executor) copyFrom(ctx context.Context, env *env, n *planner.CopyFrom) (*Result, error) {
	res, err := e.putItems(ctx, env, n.Write)
	if err != nil {
		return nil, err
	}
	res.Tag = "COPY " + strconv.FormatInt(res.RowsAffected, 10)
	return res, nil
}

// openReadFile opens the file of a ReadFile node, or the front end's data
// for COPY ... FROM STDIN.
func (e *Executor) openReadFile(ctx context.Context, n *planner.ReadFile) (RowIter, error) {
	var in io.ReadCloser
	label := fmt.Sprintf("file %q", n.File)
	if n.Stdin {
		src, _ := ctx.Value(copyInKey{}).(CopyInSource)
		if src == nil {
			return nil, sqlerr.New(sqlerr.FeatureNotSupported, "COPY FROM STDIN needs data from the client, and none can be sent here").
				WithHint("load a file with COPY t FROM 'file'")
		}
		cols := 0
		if n.Format == "csv" || n.Format == "text" {
			cols = len(n.Columns)
		}
		var err error
		req := CopyInRequest{Format: string(n.Format), Columns: cols, Table: n.Table, Attributes: n.Columns}
		if in, err = src(ctx, req); err != nil {
			return nil, err
		}
		label = "COPY from STDIN"
		if items, ok := in.(CopyInItems); ok {
			return &fileRows{f: in, r: items, n: n, label: label}, nil
		}
		if n.Format == "binary" {
			in.Close()
			return nil, format.BinaryCopyRefused()
		}
	} else {
		f, err := os.Open(n.File)
		if err != nil {
			return nil, fileError(err, n.File, "reading")
		}
		in = f
	}
	r, err := format.NewReader(string(n.Format), in, format.ReadOptions{Delimiter: n.Delimiter,
		Columns: n.Columns, SkipHeader: n.SkipHeader})
	if err != nil {
		in.Close()
		return nil, err
	}
	return &fileRows{f: in, r: r, n: n, label: label}, nil
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
	f io.ReadCloser
	r format.ItemReader
	n *planner.ReadFile
	// label names the input in errors: file "x.csv", or COPY from STDIN.
	label string
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

// fail names the input in err, whose message starts with the line.
func (r *fileRows) fail(err error) error {
	var se *sqlerr.Error
	if !errors.As(err, &se) {
		return &sqlerr.Error{Code: sqlerr.InvalidText, Message: fmt.Sprintf("%s: %s", r.label, err), Err: err}
	}
	c := *se
	c.Message = fmt.Sprintf("%s, %s", r.label, se.Message)
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
