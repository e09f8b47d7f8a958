package repl

import (
	"context"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/parser"
)

// metaTables is \dt [PATTERN]: SHOW TABLES, with psql's * and ? wildcards
// turned into LIKE's % and _.
func (s *Script) metaTables(ctx context.Context, m *metaCall) error {
	sql := "SHOW TABLES"
	if len(m.args) > 0 {
		like := strings.NewReplacer("*", "%", "?", "_").Replace(m.args[0])
		sql += " LIKE " + quote(like, '\'')
	}
	return s.runOne(ctx, sql)
}

// metaDescribe is \d [TABLE]: DESCRIBE, or \dt without a table.
func (s *Script) metaDescribe(ctx context.Context, m *metaCall) error {
	if len(m.args) == 0 {
		return s.metaTables(ctx, m)
	}
	return s.runOne(ctx, "DESCRIBE "+quoteIdent(m.args[0]))
}

// indexColumns are \di's columns.
var indexColumns = []string{"table", "name", "type", "partition_key", "sort_key", "projection", "status"}

// metaIndexes is \di [TABLE]: the index rows of DESCRIBE for one table or
// for every table.
func (s *Script) metaIndexes(ctx context.Context, m *metaCall) error {
	tables := m.args
	if len(tables) == 0 {
		var err error
		if tables, err = s.tableNames(ctx); err != nil {
			return err
		}
	}
	var rows []executor.Item
	for _, table := range tables {
		desc, err := s.collect(ctx, "DESCRIBE "+quoteIdent(table))
		if err != nil {
			return err
		}
		for _, row := range desc {
			if t, ok := row["type"].(*types.AttributeValueMemberS); ok && t.Value == "TABLE" {
				continue
			}
			row["table"] = &types.AttributeValueMemberS{Value: table}
			rows = append(rows, row)
		}
	}
	return s.render(&executor.Result{Columns: indexColumns, Rows: &itemRows{items: rows}, Tag: "SELECT"})
}

// tableNames lists every table (SHOW TABLES).
func (s *Script) tableNames(ctx context.Context) ([]string, error) {
	rows, err := s.collect(ctx, "SHOW TABLES")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(rows))
	for _, row := range rows {
		if n, ok := row["name"].(*types.AttributeValueMemberS); ok {
			names = append(names, n.Value)
		}
	}
	return names, nil
}

// collect runs sql and returns all its rows.
func (s *Script) collect(ctx context.Context, sql string) ([]executor.Item, error) {
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		return nil, err
	}
	res, err := s.Session.Run(ctx, stmt, nil)
	if err != nil {
		return nil, err
	}
	if res.Rows == nil {
		return nil, nil
	}
	defer res.Rows.Close()
	var rows []executor.Item
	for {
		row, err := res.Rows.Next()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, copyItem(row))
	}
}

func copyItem(it executor.Item) executor.Item {
	c := make(executor.Item, len(it))
	for k, v := range it {
		c[k] = v
	}
	return c
}

// itemRows serves rows held in memory.
type itemRows struct {
	items []executor.Item
	next  int
}

func (r *itemRows) Next() (executor.Item, error) {
	if r.next >= len(r.items) {
		return nil, io.EOF
	}
	r.next++
	return r.items[r.next-1], nil
}

func (r *itemRows) Close() error { return nil }
