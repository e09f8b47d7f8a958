package executor

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// DDL statements return once DynamoDB has finished the change, polling
// DescribeTable: first after ddlPollFirst, then backing off to ddlPollMax,
// giving up after ddlTimeout. Tests shorten them.
var (
	ddlPollFirst = 250 * time.Millisecond
	ddlPollMax   = 2 * time.Second
	ddlTimeout   = 10 * time.Minute
)

// pollFunc checks once whether a DDL change is done, returning the status
// to show while it is not.
type pollFunc func(ctx context.Context) (done bool, status string, err error)

// waitFor polls until poll reports done, reporting "waiting for <what>
// (status S, 3s)" through Options.OnProgress between polls. It honours ctx
// and gives up after ddlTimeout.
func (e *Executor) waitFor(ctx context.Context, what string, poll pollFunc) error {
	start := time.Now()
	interval := ddlPollFirst
	for {
		done, status, err := poll(ctx)
		if err != nil {
			return err
		}
		if done {
			return nil
		}
		elapsed := time.Since(start)
		if elapsed >= ddlTimeout {
			return sqlerr.New(sqlerr.QueryCanceled, "gave up waiting for %s after %s (status %s)",
				what, ddlTimeout, status).
				WithHint("DynamoDB goes on with the change: DESCRIBE shows its status")
		}
		if e.opts.OnProgress != nil {
			e.opts.OnProgress(Progress{Message: fmt.Sprintf("waiting for %s (status %s, %s)",
				what, status, elapsed.Round(time.Second))})
		}
		timer := time.NewTimer(min(interval, ddlTimeout-elapsed))
		select {
		case <-ctx.Done():
			timer.Stop()
			return mapError(ctx.Err())
		case <-timer.C:
		}
		interval = min(2*interval, ddlPollMax)
	}
}

// describe calls DescribeTable, mapping a missing table to 42P01.
func (e *Executor) describe(ctx context.Context, table string) (*types.TableDescription, error) {
	out, err := e.api.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		return nil, mapTableError(err, table)
	}
	if out.Table == nil {
		return nil, sqlerr.New(sqlerr.Internal, "DescribeTable returned no table for %q", table)
	}
	return out.Table, nil
}

// tableActive is a pollFunc that is done when the table and every one of its
// GSIs are ACTIVE. A table not found yet is still being created (DescribeTable
// is eventually consistent right after CreateTable); a table being deleted is
// an error.
func (e *Executor) tableActive(table string) pollFunc {
	return func(ctx context.Context) (bool, string, error) {
		t, err := e.describe(ctx, table)
		if sqlerr.Code(err) == sqlerr.UndefinedTable {
			return false, string(types.TableStatusCreating), nil
		}
		if err != nil {
			return false, "", err
		}
		if t.TableStatus == types.TableStatusDeleting {
			return false, "", sqlerr.New(sqlerr.ObjectInUse, "table %q is being deleted", table)
		}
		if t.TableStatus != types.TableStatusActive {
			return false, string(t.TableStatus), nil
		}
		for _, ix := range t.GlobalSecondaryIndexes {
			if ix.IndexStatus != "" && ix.IndexStatus != types.IndexStatusActive {
				return false, fmt.Sprintf("index %s %s", aws.ToString(ix.IndexName), ix.IndexStatus), nil
			}
		}
		return true, "", nil
	}
}

// tableGone is a pollFunc that is done when the table no longer exists.
func (e *Executor) tableGone(table string) pollFunc {
	return func(ctx context.Context) (bool, string, error) {
		t, err := e.describe(ctx, table)
		if sqlerr.Code(err) == sqlerr.UndefinedTable {
			return true, "", nil
		}
		if err != nil {
			return false, "", err
		}
		return false, string(t.TableStatus), nil
	}
}

// indexStatus is a pollFunc over one GSI of a table: done when want reports
// done for the index's status ("" when the index does not exist).
func (e *Executor) indexStatus(table, index string, want func(status types.IndexStatus) bool) pollFunc {
	return func(ctx context.Context) (bool, string, error) {
		t, err := e.describe(ctx, table)
		if err != nil {
			return false, "", err
		}
		var status types.IndexStatus
		for _, ix := range t.GlobalSecondaryIndexes {
			if aws.ToString(ix.IndexName) == index {
				status = ix.IndexStatus
				if status == "" {
					// Some emulators omit IndexStatus: the index is usable.
					status = types.IndexStatusActive
				}
			}
		}
		if want(status) {
			return true, "", nil
		}
		if status == "" {
			return false, "absent", nil
		}
		return false, string(status), nil
	}
}
