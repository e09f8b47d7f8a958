package migrate

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
)

// API is the DynamoDB calls the history table and the lock use. They are
// made directly rather than through SQL because the lock's contract is a
// conditional PutItem whose condition ("free, expired, or mine") and
// attribute types must be exactly these. *dynamodb.Client satisfies it.
type API interface {
	GetItem(ctx context.Context, in *dynamodb.GetItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.GetItemOutput, error)
	PutItem(ctx context.Context, in *dynamodb.PutItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.PutItemOutput, error)
	UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error)
	DeleteItem(ctx context.Context, in *dynamodb.DeleteItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.DeleteItemOutput, error)
	Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error)
}

// Status is the state of a version in the history table.
type Status string

const (
	// Applying: a run started the version and has not finished it (it is
	// running, or it was killed); LastStatement says how far it got.
	Applying Status = "applying"
	// Applied: every statement of the up part completed.
	Applied Status = "applied"
	// Failed: a statement failed; the statements before it completed
	// (before the BEGIN of the transaction it was part of).
	Failed Status = "failed"
	// Reverting: `migrate down` started running the down part.
	Reverting Status = "reverting"
)

// Record is one version's item in the history table.
type Record struct {
	Version  int
	Name     string
	Checksum string // SHA-256 of the up part
	Status   Status
	// LastStatement is the number of statements completed (of the up part,
	// or of the down part while Reverting); DoneChecksum is the SHA-256 of
	// those statements.
	LastStatement int
	DoneChecksum  string
	Statements    int
	StartedAt     time.Time
	AppliedAt     time.Time
	DurationMs    int64
	Error         string
	// Owner is the lock owner of the run that last started the version;
	// checkpoints are written only while it is still the owner.
	Owner string
	// Checkpoint is the latest checkpoint (executor.Checkpoint as JSON) of
	// statement CheckpointStatement (1 is the first), which was running
	// when it was taken; CheckpointChecksum is the part's prefixChecksum
	// up to and including that statement, so that an edited statement does
	// not resume from a checkpoint of its old text. Empty when no
	// statement is part way through.
	Checkpoint          string
	CheckpointStatement int
	CheckpointChecksum  string
}

// lockVersion is the version key of the lock item; files start at 1.
const lockVersion = 0

// Attribute names of the history table.
const (
	attrVersion       = "version"
	attrName          = "name"
	attrChecksum      = "checksum"
	attrStatus        = "status"
	attrLastStatement = "last_statement"
	attrDoneChecksum  = "done_checksum"
	attrStatements    = "statements"
	attrStartedAt     = "started_at"
	attrAppliedAt     = "applied_at"
	attrDurationMs    = "duration_ms"
	attrError         = "error"
	attrOwner         = "owner"
	attrLeaseExpires  = "lease_expires"
	attrKind          = "kind"
	// The checkpoint of the running statement (see Record).
	attrCheckpoint          = "checkpoint"
	attrCheckpointStatement = "checkpoint_statement"
	attrCheckpointChecksum  = "checkpoint_checksum"
)

// history reads and writes the history table.
type history struct {
	api   API
	table string
	// owner is the lock owner of the run, recorded in the versions it
	// starts; lost cancels the run when a checkpoint finds the version
	// taken over by another run.
	owner string
	lost  func(error)
}

// ensure creates the history table if it does not exist, through the
// session like any other DDL.
func (h *history) ensure(ctx context.Context, sess *session.Session) error {
	stmt, err := parser.ParseOne(fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s NUMERIC, PRIMARY KEY (%s))",
		quoteIdent(h.table), attrVersion, attrVersion))
	if err != nil {
		return err
	}
	res, err := sess.Run(ctx, stmt, nil)
	if err != nil {
		return fmt.Errorf("creating the history table %s: %w", h.table, err)
	}
	if res.Rows != nil {
		res.Rows.Close()
	}
	return nil
}

func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// read returns every version's record, keyed by version. A missing table
// reads as empty (exists is then false).
func (h *history) read(ctx context.Context) (recs map[int]*Record, exists bool, err error) {
	recs = map[int]*Record{}
	var start map[string]types.AttributeValue
	for {
		out, err := h.api.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(h.table), ConsistentRead: aws.Bool(true), ExclusiveStartKey: start})
		if err != nil {
			if isCode(err, "ResourceNotFoundException") {
				return recs, false, nil
			}
			return nil, false, fmt.Errorf("reading the history table %s: %w", h.table, err)
		}
		for _, item := range out.Items {
			r := decodeRecord(item)
			if r.Version != lockVersion {
				recs[r.Version] = r
			}
		}
		if len(out.LastEvaluatedKey) == 0 {
			return recs, true, nil
		}
		start = out.LastEvaluatedKey
	}
}

// put writes r whole.
func (h *history) put(ctx context.Context, r *Record) error {
	_, err := h.api.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(h.table), Item: encodeRecord(r)})
	if err != nil {
		return fmt.Errorf("recording version %d in %s: %w", r.Version, h.table, err)
	}
	return nil
}

// progress records that n statements of the running part completed, and
// drops the checkpoint of statement n, now complete.
func (h *history) progress(ctx context.Context, version, n int, done string) error {
	_, err := h.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:        aws.String(h.table),
		Key:              versionKey(version),
		UpdateExpression: aws.String("SET #n = :n, #d = :d REMOVE #cp, #cs, #cc"),
		ExpressionAttributeNames: map[string]string{
			"#n": attrLastStatement, "#d": attrDoneChecksum,
			"#cp": attrCheckpoint, "#cs": attrCheckpointStatement, "#cc": attrCheckpointChecksum,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":n": num(int64(n)), ":d": str(done),
		},
	})
	if err != nil {
		return fmt.Errorf("recording progress of version %d in %s: %w", version, h.table, err)
	}
	return nil
}

// ErrNotOwner is returned when a checkpoint cannot be recorded because
// another run has started the version since (this run's lease expired).
var ErrNotOwner = errors.New("another migration run took over the version: this run's lease expired")

// checkpoint records the checkpoint of statement n of the running part,
// on condition that the version is still this run's, so that a run that
// lost its lease cannot overwrite the progress of the run that took over.
func (h *history) checkpoint(ctx context.Context, version, n int, checksum, cp string) error {
	_, err := h.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:           aws.String(h.table),
		Key:                 versionKey(version),
		UpdateExpression:    aws.String("SET #cp = :cp, #cs = :cs, #cc = :cc"),
		ConditionExpression: aws.String("#o = :me"),
		ExpressionAttributeNames: map[string]string{
			"#cp": attrCheckpoint, "#cs": attrCheckpointStatement, "#cc": attrCheckpointChecksum, "#o": attrOwner,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":cp": str(cp), ":cs": num(int64(n)), ":cc": str(checksum), ":me": str(h.owner),
		},
	})
	if isCode(err, "ConditionalCheckFailedException") {
		return fmt.Errorf("recording a checkpoint of version %d in %s: %w", version, h.table, ErrNotOwner)
	}
	if err != nil {
		return fmt.Errorf("recording a checkpoint of version %d in %s: %w", version, h.table, err)
	}
	return nil
}

// remove deletes a version's record (after `migrate down`).
func (h *history) remove(ctx context.Context, version int) error {
	_, err := h.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String(h.table), Key: versionKey(version)})
	if err != nil {
		return fmt.Errorf("removing version %d from %s: %w", version, h.table, err)
	}
	return nil
}

func versionKey(v int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrVersion: num(int64(v))}
}

func num(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func encodeRecord(r *Record) map[string]types.AttributeValue {
	item := map[string]types.AttributeValue{
		attrVersion:       num(int64(r.Version)),
		attrName:          str(r.Name),
		attrChecksum:      str(r.Checksum),
		attrStatus:        str(string(r.Status)),
		attrLastStatement: num(int64(r.LastStatement)),
		attrDoneChecksum:  str(r.DoneChecksum),
		attrStatements:    num(int64(r.Statements)),
		attrDurationMs:    num(r.DurationMs),
		attrKind:          str("version"),
	}
	if !r.StartedAt.IsZero() {
		item[attrStartedAt] = str(r.StartedAt.UTC().Format(time.RFC3339Nano))
	}
	if !r.AppliedAt.IsZero() {
		item[attrAppliedAt] = str(r.AppliedAt.UTC().Format(time.RFC3339Nano))
	}
	if r.Error != "" {
		item[attrError] = str(r.Error)
	}
	if r.Owner != "" {
		item[attrOwner] = str(r.Owner)
	}
	if r.Checkpoint != "" {
		item[attrCheckpoint] = str(r.Checkpoint)
		item[attrCheckpointStatement] = num(int64(r.CheckpointStatement))
		item[attrCheckpointChecksum] = str(r.CheckpointChecksum)
	}
	return item
}

func decodeRecord(item map[string]types.AttributeValue) *Record {
	r := &Record{}
	getS := func(k string) string {
		if v, ok := item[k].(*types.AttributeValueMemberS); ok {
			return v.Value
		}
		return ""
	}
	getN := func(k string) int64 {
		if v, ok := item[k].(*types.AttributeValueMemberN); ok {
			n, _ := strconv.ParseInt(v.Value, 10, 64)
			return n
		}
		return 0
	}
	getT := func(k string) time.Time {
		t, _ := time.Parse(time.RFC3339Nano, getS(k))
		return t
	}
	r.Version = int(getN(attrVersion))
	r.Name = getS(attrName)
	r.Checksum = getS(attrChecksum)
	r.Status = Status(getS(attrStatus))
	r.LastStatement = int(getN(attrLastStatement))
	r.DoneChecksum = getS(attrDoneChecksum)
	r.Statements = int(getN(attrStatements))
	r.StartedAt = getT(attrStartedAt)
	r.AppliedAt = getT(attrAppliedAt)
	r.DurationMs = getN(attrDurationMs)
	r.Error = getS(attrError)
	r.Owner = getS(attrOwner)
	r.Checkpoint = getS(attrCheckpoint)
	r.CheckpointStatement = int(getN(attrCheckpointStatement))
	r.CheckpointChecksum = getS(attrCheckpointChecksum)
	return r
}

// isCode reports whether err is the DynamoDB exception code.
func isCode(err error, code string) bool {
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && apiErr.ErrorCode() == code
}
