// Package sample loads ddbsql's sample tables (testdata/sample) into a
// DynamoDB endpoint: it runs the schema through a Session, then writes the
// items with BatchWriteItem, retrying unprocessed items until all are
// written.
package sample

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"path"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
	data "github.com/ddbsql/ddbsql/testdata/sample"
)

// BatchWriter is the DynamoDB call the loader makes.
type BatchWriter interface {
	BatchWriteItem(context.Context, *dynamodb.BatchWriteItemInput, ...func(*dynamodb.Options)) (*dynamodb.BatchWriteItemOutput, error)
}

// TableLister is the DynamoDB call Present makes.
type TableLister interface {
	ListTables(context.Context, *dynamodb.ListTablesInput, ...func(*dynamodb.Options)) (*dynamodb.ListTablesOutput, error)
}

// Present reports whether every sample table exists.
func Present(ctx context.Context, api TableLister) (bool, error) {
	have := map[string]bool{}
	p := dynamodb.NewListTablesPaginator(api, &dynamodb.ListTablesInput{})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			return false, sqlerr.Wrap(err, sqlerr.Internal)
		}
		for _, t := range out.TableNames {
			have[t] = true
		}
	}
	for _, t := range Tables() {
		if !have[t] {
			return false, nil
		}
	}
	return true, nil
}

// Tables lists the sample tables in schema order.
func Tables() []string {
	return []string{"Users", "Orders", "GameLeaderboards", "IoTSensorData", "Sessions", "Products"}
}

// Items returns the sample items of table.
func Items(table string) ([]map[string]types.AttributeValue, error) {
	raw, err := fs.ReadFile(data.Data, table+".jsonl")
	if err != nil {
		return nil, err
	}
	var items []map[string]types.AttributeValue
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		it, err := format.UnmarshalItemJSON([]byte(line))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path.Join("testdata/sample", table+".jsonl"), n, err)
		}
		items = append(items, it)
	}
	return items, sc.Err()
}

// Load creates the sample tables (if missing) and writes their items.
// progress, when set, is called once per table with the count written.
func Load(ctx context.Context, sess *session.Session, api BatchWriter, progress func(table string, n int)) error {
	stmts, err := parser.Parse(data.Schema)
	if err != nil {
		return err
	}
	for _, st := range stmts {
		res, err := sess.Run(ctx, st, nil)
		if err != nil {
			return err
		}
		if res.Rows != nil {
			res.Rows.Close()
		}
	}
	for _, table := range Tables() {
		items, err := Items(table)
		if err != nil {
			return err
		}
		if err := WriteAll(ctx, api, table, items); err != nil {
			return err
		}
		if progress != nil {
			progress(table, len(items))
		}
	}
	return nil
}

// WriteAll puts items into table with BatchWriteItem, 25 per call, retrying
// UnprocessedItems with exponential backoff and jitter until every item is
// written.
func WriteAll(ctx context.Context, api BatchWriter, table string, items []map[string]types.AttributeValue) error {
	for start := 0; start < len(items); start += 25 {
		end := min(start+25, len(items))
		reqs := make([]types.WriteRequest, 0, end-start)
		for _, it := range items[start:end] {
			reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: it}})
		}
		pending := map[string][]types.WriteRequest{table: reqs}
		for attempt := 0; len(pending) > 0; attempt++ {
			out, err := api.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
			if err != nil {
				return sqlerr.Wrap(err, sqlerr.Internal)
			}
			pending = out.UnprocessedItems
			if len(pending) > 0 {
				backoff := time.Duration(min(1<<attempt, 64)) * 50 * time.Millisecond
				select {
				case <-ctx.Done():
					return sqlerr.Wrap(ctx.Err(), sqlerr.QueryCanceled)
				case <-time.After(backoff/2 + rand.N(backoff/2+1)):
				}
			}
		}
	}
	return nil
}
