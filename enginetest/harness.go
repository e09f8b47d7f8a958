// Package enginetest is ddbsql's SQL-level test suite: the same statements
// and expected results run against every DynamoDB-compatible backend the
// test harness provides (DynamoDB Local, the reference, and dynalite), each
// loaded with the sample data. Tests that need something a backend lacks
// (transactions, TTL, PartiQL) declare it and are skipped there.
//
// The suite is datadriven: testdata/engine/*.txt hold statements and the
// rows (as JSON lines) or error they give. Rewrite expectations with
// go test ./enginetest -rewrite, then review the diff.
package enginetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// RunScript runs every statement of sql in sess and renders what each
// gives, one block per statement: its warnings, its rows as JSON lines (in
// order, or sorted when sorted is set), its command tag, or its error as
// "ERROR <SQLSTATE>: message".
func RunScript(ctx context.Context, sess *session.Session, sql string, sorted bool) string {
	var b strings.Builder
	var warnings []string
	sess.OnNotice = func(msg string) { warnings = append(warnings, msg) }
	defer func() { sess.OnNotice = nil }()
	for _, chunk := range parser.Split(sql) {
		if strings.TrimSpace(chunk.Text) == "" {
			continue
		}
		warnings = warnings[:0]
		out, err := runOne(ctx, sess, chunk.Text, sorted)
		for _, w := range warnings {
			b.WriteString("WARNING: " + w + "\n")
		}
		if err != nil {
			e := sqlerr.As(err)
			fmt.Fprintf(&b, "ERROR %s: %s\n", e.Code, e.Error())
			continue
		}
		b.WriteString(out)
	}
	return b.String()
}

func runOne(ctx context.Context, sess *session.Session, text string, sorted bool) (string, error) {
	stmt, err := parser.ParseOne(text)
	if err != nil {
		return "", err
	}
	res, err := sess.Run(ctx, stmt, nil)
	if err != nil {
		return "", err
	}
	if res.Rows == nil {
		return res.Tag + "\n", nil
	}
	lines, err := Rows(res)
	if err != nil {
		return "", err
	}
	if sorted {
		sort.Strings(lines)
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	fmt.Fprintf(&b, "(%d rows)\n", len(lines))
	return b.String(), nil
}

// Rows drains a result into one ddbjson line per row, attribute names
// sorted, so that results compare exactly (all ten types, numbers as
// stored).
func Rows(res *executor.Result) ([]string, error) {
	defer res.Rows.Close()
	var lines []string
	for {
		row, err := res.Rows.Next()
		if errors.Is(err, io.EOF) {
			return lines, nil
		}
		if err != nil {
			return nil, err
		}
		js, err := format.MarshalItemJSON(row, nil)
		if err != nil {
			return nil, err
		}
		lines = append(lines, string(js))
	}
}
