package executor

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/planner"
)

// showTables runs SHOW TABLES [LIKE 'pattern']: every page of ListTables,
// filtered by the pattern, one row {"name": S} per table.
func (e *Executor) showTables(ctx context.Context, n *planner.ShowTables) (*Result, error) {
	var rows []Item
	in := &dynamodb.ListTablesInput{}
	for {
		out, err := e.api.ListTables(ctx, in)
		if err != nil {
			return nil, mapError(err)
		}
		for _, name := range out.TableNames {
			if n.Like == "" || likeMatches(n.Like, name) {
				rows = append(rows, Item{"name": &types.AttributeValueMemberS{Value: name}})
			}
		}
		if aws.ToString(out.LastEvaluatedTableName) == "" {
			break
		}
		in = &dynamodb.ListTablesInput{ExclusiveStartTableName: out.LastEvaluatedTableName}
	}
	return &Result{Columns: []string{"name"}, Rows: rowsOf(rows...), Tag: "SHOW"}, nil
}

// describeColumns are the columns of DESCRIBE's rows; ttl and stream are set
// on the table's row only.
var describeColumns = []string{"name", "type", "partition_key", "sort_key", "projection",
	"status", "items", "bytes", "billing", "ttl", "stream"}

// describeTable runs DESCRIBE t: one row for the table, one per index.
func (e *Executor) describeTable(ctx context.Context, n *planner.DescribeTable) (*Result, error) {
	t, err := e.describe(ctx, n.Table)
	if err != nil {
		return nil, err
	}
	ttl, err := e.describeTTL(ctx, n.Table)
	if err != nil {
		return nil, err
	}
	return &Result{Columns: describeColumns, Rows: rowsOf(describeRows(t, ttl)...), Tag: "DESCRIBE"}, nil
}

// describeTTL returns the table's TTL setting as "attr (ENABLED)" or
// "DISABLED", or "" when the backend has no TTL API.
func (e *Executor) describeTTL(ctx context.Context, table string) (string, error) {
	out, err := e.api.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String(table)})
	if err != nil {
		if ttlUnsupported(err) {
			return "", nil
		}
		return "", mapTableError(err, table)
	}
	d := out.TimeToLiveDescription
	if d == nil || d.TimeToLiveStatus == "" {
		return "", nil
	}
	if attr := aws.ToString(d.AttributeName); attr != "" {
		return fmt.Sprintf("%s (%s)", attr, d.TimeToLiveStatus), nil
	}
	return string(d.TimeToLiveStatus), nil
}

// ttlUnsupported reports whether DescribeTimeToLive failed because the
// backend lacks it, or the caller may not use it: TTL is shown as unknown
// then rather than failing DESCRIBE.
func ttlUnsupported(err error) bool {
	return isErrorCode(err, "UnknownOperationException") || isErrorCode(err, "AccessDeniedException")
}

// describeRows lays out a table description as DESCRIBE's rows.
func describeRows(t *types.TableDescription, ttl string) []Item {
	attrTypes := make(map[string]string, len(t.AttributeDefinitions))
	for _, d := range t.AttributeDefinitions {
		attrTypes[aws.ToString(d.AttributeName)] = string(d.AttributeType)
	}
	mode := billingMode(t)
	table := Item{
		"name":   ddlString(aws.ToString(t.TableName)),
		"type":   ddlString("TABLE"),
		"status": ddlString(string(t.TableStatus)),
		"items":  ddlNumber(aws.ToInt64(t.ItemCount)),
		"bytes":  ddlNumber(aws.ToInt64(t.TableSizeBytes)),
		"stream": ddlString("DISABLED"),
	}
	setKeys(table, t.KeySchema, attrTypes)
	table["billing"] = ddlString(billingText(mode, t.ProvisionedThroughput))
	if ttl != "" {
		table["ttl"] = ddlString(ttl)
	}
	if s := t.StreamSpecification; s != nil && aws.ToBool(s.StreamEnabled) {
		table["stream"] = ddlString(string(s.StreamViewType))
	}
	rows := []Item{table}
	for _, ix := range t.GlobalSecondaryIndexes {
		row := Item{
			"name":   ddlString(aws.ToString(ix.IndexName)),
			"type":   ddlString("GSI"),
			"status": ddlString(string(ix.IndexStatus)),
			"items":  ddlNumber(aws.ToInt64(ix.ItemCount)),
			"bytes":  ddlNumber(aws.ToInt64(ix.IndexSizeBytes)),
		}
		if ix.IndexStatus == "" {
			delete(row, "status")
		}
		setKeys(row, ix.KeySchema, attrTypes)
		setProjection(row, ix.Projection)
		row["billing"] = ddlString(billingText(mode, ix.ProvisionedThroughput))
		rows = append(rows, row)
	}
	for _, ix := range t.LocalSecondaryIndexes {
		row := Item{
			"name":  ddlString(aws.ToString(ix.IndexName)),
			"type":  ddlString("LSI"),
			"items": ddlNumber(aws.ToInt64(ix.ItemCount)),
			"bytes": ddlNumber(aws.ToInt64(ix.IndexSizeBytes)),
			// An LSI has no status of its own: it lives and dies with its table.
			"status": ddlString(string(t.TableStatus)),
		}
		setKeys(row, ix.KeySchema, attrTypes)
		setProjection(row, ix.Projection)
		rows = append(rows, row)
	}
	return rows
}

// setKeys sets partition_key and sort_key to "name (T)".
func setKeys(row Item, ks []types.KeySchemaElement, attrTypes map[string]string) {
	for _, k := range ks {
		name := aws.ToString(k.AttributeName)
		text := name
		if t := attrTypes[name]; t != "" {
			text += " (" + t + ")"
		}
		switch k.KeyType {
		case types.KeyTypeHash:
			row["partition_key"] = ddlString(text)
		case types.KeyTypeRange:
			row["sort_key"] = ddlString(text)
		}
	}
}

// setProjection sets projection to ALL, KEYS_ONLY or "INCLUDE (a, b)".
func setProjection(row Item, p *types.Projection) {
	if p == nil {
		return
	}
	text := string(p.ProjectionType)
	if p.ProjectionType == types.ProjectionTypeInclude {
		text += " (" + strings.Join(p.NonKeyAttributes, ", ") + ")"
	}
	row["projection"] = ddlString(text)
}

// billingText is "PAY_PER_REQUEST" or "PROVISIONED (5 RCU, 5 WCU)".
func billingText(mode types.BillingMode, pt *types.ProvisionedThroughputDescription) string {
	if mode != types.BillingModeProvisioned || pt == nil {
		return string(types.BillingModePayPerRequest)
	}
	return fmt.Sprintf("PROVISIONED (%d RCU, %d WCU)",
		aws.ToInt64(pt.ReadCapacityUnits), aws.ToInt64(pt.WriteCapacityUnits))
}

func ddlString(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

func ddlNumber(n int64) types.AttributeValue {
	return &types.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}
