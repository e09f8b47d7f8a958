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

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

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
			b.WriteString(errorLine(err) + "\n")
			continue
		}
		b.WriteString(out)
	}
	return b.String()
}

// errorLine renders an error as "ERROR <SQLSTATE>: message". Errors that
// come from DynamoDB show the exception name instead of the backend's own
// wording, which differs between DynamoDB Local and dynalite.
func errorLine(err error) string {
	e := sqlerr.As(err)
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) && e.Code == sqlerr.InvalidParameter {
		return fmt.Sprintf("ERROR %s: DynamoDB %s", e.Code, apiErr.ErrorCode())
	}
	return fmt.Sprintf("ERROR %s: %s", e.Code, e.Error())
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
	return render(res, sorted)
}

// render renders one result: its notices and tag, or its rows.
func render(res *executor.Result, sorted bool) (string, error) {
	if res.Rows == nil {
		var b strings.Builder
		for _, n := range res.Notices {
			b.WriteString("NOTICE: " + n + "\n")
		}
		b.WriteString(res.Tag + "\n")
		return b.String(), nil
	}
	lines, err := Rows(res, res.Columns)
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
	if len(lines) == 1 {
		b.WriteString("(1 row)\n")
	} else {
		fmt.Fprintf(&b, "(%d rows)\n", len(lines))
	}
	return b.String(), nil
}

// Rows drains a result into one ddbjson line per row (the attributes named
// in order first, then the others sorted by name; sets sorted), so that
// results compare exactly: all ten types, numbers as stored.
func Rows(res *executor.Result, order []string) ([]string, error) {
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
		js, err := format.MarshalItemJSON(canonical(row), order)
		if err != nil {
			return nil, err
		}
		lines = append(lines, string(js))
	}
}

// canonical returns the item with the elements of every set sorted: sets
// have no order, and backends return them differently.
func canonical(it map[string]types.AttributeValue) map[string]types.AttributeValue {
	out := make(map[string]types.AttributeValue, len(it))
	for k, v := range it {
		out[k] = canonicalValue(v)
	}
	return out
}

func canonicalValue(v types.AttributeValue) types.AttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberSS:
		s := append([]string(nil), x.Value...)
		sort.Strings(s)
		return &types.AttributeValueMemberSS{Value: s}
	case *types.AttributeValueMemberNS:
		s := append([]string(nil), x.Value...)
		sort.Strings(s)
		return &types.AttributeValueMemberNS{Value: s}
	case *types.AttributeValueMemberBS:
		s := append([][]byte(nil), x.Value...)
		sort.Slice(s, func(i, j int) bool { return string(s[i]) < string(s[j]) })
		return &types.AttributeValueMemberBS{Value: s}
	case *types.AttributeValueMemberM:
		return &types.AttributeValueMemberM{Value: canonical(x.Value)}
	case *types.AttributeValueMemberL:
		l := make([]types.AttributeValue, len(x.Value))
		for i, e := range x.Value {
			l[i] = canonicalValue(e)
		}
		return &types.AttributeValueMemberL{Value: l}
	}
	return v
}
