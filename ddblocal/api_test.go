package ddblocal_test

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/ddblocal"
)

// open returns an engine in a fresh directory and an SDK client served in
// process by it.
func open(t testing.TB, opts ddblocal.Options) (*ddblocal.DB, *dynamodb.Client) {
	t.Helper()
	db, err := ddblocal.Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db, client(db)
}

func client(db *ddblocal.DB) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		HTTPClient:   db.HTTPClient(),
		BaseEndpoint: aws.String("http://ddblocal"),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("x", "x", ""),
	})
}

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }
func ni(v int) types.AttributeValue   { return n(strconv.Itoa(v)) }

// createOrders creates a table (pk S, sk N) with a GSI on g (S) projecting
// ALL and an LSI on pk, l (N) keeping keys only.
func createOrders(t testing.TB, c *dynamodb.Client, name string) {
	t.Helper()
	_, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName: aws.String(name),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
			{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("l"), AttributeType: types.ScalarAttributeTypeN},
		},
		BillingMode: types.BillingModePayPerRequest,
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("byG"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
		LocalSecondaryIndexes: []types.LocalSecondaryIndex{{
			IndexName: aws.String("byL"),
			KeySchema: []types.KeySchemaElement{
				{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
				{AttributeName: aws.String("l"), KeyType: types.KeyTypeRange},
			},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// Reference servers create tables asynchronously; the engine's are
	// ACTIVE at once, so this returns after one DescribeTable.
	w := dynamodb.NewTableExistsWaiter(c, func(o *dynamodb.TableExistsWaiterOptions) { o.MinDelay = 100 * time.Millisecond })
	if err := w.Wait(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute); err != nil {
		t.Fatal(err)
	}
}

// apiCode returns the exception name and message of err.
func apiCode(err error) (string, string) {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode(), ae.ErrorMessage()
	}
	return "", ""
}

func wantError(t *testing.T, err error, code, msg string) {
	t.Helper()
	gotCode, gotMsg := apiCode(err)
	if gotCode != code || (msg != "" && gotMsg != msg) {
		t.Fatalf("error = %v; want %s: %s", err, code, msg)
	}
}

func TestTableLifecycle(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("Orders"),
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	wantError(t, err, "ResourceInUseException", "Cannot create preexisting table")

	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("Orders")})
	if err != nil {
		t.Fatal(err)
	}
	tab := d.Table
	if tab.TableStatus != types.TableStatusActive || *tab.TableArn != "arn:aws:dynamodb:ddblocal:000000000000:table/Orders" ||
		len(tab.GlobalSecondaryIndexes) != 1 || len(tab.LocalSecondaryIndexes) != 1 ||
		tab.BillingModeSummary.BillingMode != types.BillingModePayPerRequest || tab.TableId != nil {
		t.Fatalf("DescribeTable = %+v", tab)
	}
	if *tab.GlobalSecondaryIndexes[0].IndexArn != "arn:aws:dynamodb:ddblocal:000000000000:table/Orders/index/byG" {
		t.Errorf("IndexArn = %s", *tab.GlobalSecondaryIndexes[0].IndexArn)
	}

	for _, name := range []string{"Bbb", "Ccc"} {
		_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:             aws.String(name),
			KeySchema:             []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
			AttributeDefinitions:  []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
			ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(3)},
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	lt, err := c.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if len(lt.TableNames) != 2 || lt.TableNames[0] != "Bbb" || aws.ToString(lt.LastEvaluatedTableName) != "Ccc" {
		t.Fatalf("ListTables = %v, %v", lt.TableNames, aws.ToString(lt.LastEvaluatedTableName))
	}
	lt, err = c.ListTables(ctx, &dynamodb.ListTablesInput{ExclusiveStartTableName: aws.String("Ccc")})
	if err != nil || len(lt.TableNames) != 1 || lt.TableNames[0] != "Orders" || lt.LastEvaluatedTableName != nil {
		t.Fatalf("ListTables after Ccc = %v, %v", lt, err)
	}
	if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("Bbb")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("Bbb")})
	wantError(t, err, "ResourceNotFoundException", "Cannot do operations on a non-existent table")
	_, err = c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("T")})
	wantError(t, err, "ValidationException", "")
}

func TestItemOperations(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	key := map[string]types.AttributeValue{"pk": s("a"), "sk": n("1.50")}
	_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"),
		Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1.50"), "x": s("y"), "g": s("G")}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1.5")},
		ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if got.Item["sk"].(*types.AttributeValueMemberN).Value != "1.5" || got.Item["x"].(*types.AttributeValueMemberS).Value != "y" {
		t.Fatalf("GetItem = %v", got.Item)
	}
	if *got.ConsumedCapacity.CapacityUnits != 0.5 || *got.ConsumedCapacity.TableName != "Orders" {
		t.Errorf("ConsumedCapacity = %+v", got.ConsumedCapacity)
	}

	// Conditional put fails and returns the old item when asked.
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: key,
		ConditionExpression:                 aws.String("attribute_not_exists(pk)"),
		ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) || ccf.Item["x"] == nil {
		t.Fatalf("conditional put: %v", err)
	}

	// Update with ALL_NEW and UPDATED_OLD.
	up, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Orders"), Key: key,
		UpdateExpression:          aws.String("SET x = :v, cnt = :one"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("z"), ":one": ni(1)},
		ReturnValues:              types.ReturnValueUpdatedOld})
	if err != nil {
		t.Fatal(err)
	}
	if len(up.Attributes) != 1 || up.Attributes["x"].(*types.AttributeValueMemberS).Value != "y" {
		t.Fatalf("UPDATED_OLD = %v", up.Attributes)
	}
	_, err = c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Orders"), Key: key,
		UpdateExpression: aws.String("SET pk = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("z")}})
	wantError(t, err, "ValidationException", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")

	// Validation of keys.
	_, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: map[string]types.AttributeValue{"pk": s("a"), "sk": s("1")}})
	wantError(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for key")
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{"pk": s(""), "sk": ni(1)}})
	wantError(t, err, "ValidationException", "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk")
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{"pk": s("b"), "sk": ni(1), "g": ni(3)}})
	wantError(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key")
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{"pk": s("b"), "sk": n("1.234567890123456789012345678901234567890")}})
	wantError(t, err, "ValidationException", "DynamoDB only supports precision up to 38 digits")
	big := make([]byte, 400*1024)
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{"pk": s("b"), "sk": ni(1), "big": &types.AttributeValueMemberB{Value: big}}})
	wantError(t, err, "ValidationException", "Item size has exceeded the maximum allowed size")
	_, err = c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: key, Expected: map[string]types.ExpectedAttributeValue{"pk": {Exists: aws.Bool(false)}}})
	wantError(t, err, "ValidationException", "")

	// Delete with ALL_OLD, then the item is gone.
	del, err := c.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("Orders"), Key: key, ReturnValues: types.ReturnValueAllOld})
	if err != nil || del.Attributes["x"].(*types.AttributeValueMemberS).Value != "z" {
		t.Fatalf("DeleteItem = %v, %v", del, err)
	}
	got, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: key})
	if err != nil || got.Item != nil {
		t.Fatalf("after delete: %v, %v", got.Item, err)
	}
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("Orders")})
	if err != nil || *d.Table.ItemCount != 0 || *d.Table.GlobalSecondaryIndexes[0].ItemCount != 0 {
		t.Fatalf("counts after delete: %v %v", d.Table.ItemCount, err)
	}
}

// putOrders writes n items to partition pk with sk 0..n-1, g = "G"+sk%3 and l = -sk.
func putOrders(t testing.TB, c *dynamodb.Client, table, pk string, count int) {
	t.Helper()
	for i := range count {
		_, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: map[string]types.AttributeValue{
			"pk": s(pk), "sk": ni(i), "g": s("G" + strconv.Itoa(i%3)), "l": ni(-i), "v": s(strconv.Itoa(i)),
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
}

func sks(items []map[string]types.AttributeValue) []int {
	var out []int
	for _, it := range items {
		v, _ := strconv.Atoi(it["sk"].(*types.AttributeValueMemberN).Value)
		out = append(out, v)
	}
	return out
}

func TestQueryAndScan(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	putOrders(t, c, "Orders", "a", 10)
	putOrders(t, c, "Orders", "b", 5)

	q := func(in *dynamodb.QueryInput) *dynamodb.QueryOutput {
		t.Helper()
		in.TableName = aws.String("Orders")
		out, err := c.Query(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	out := q(&dynamodb.QueryInput{KeyConditionExpression: aws.String("pk = :p AND sk BETWEEN :lo AND :hi"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("a"), ":lo": ni(2), ":hi": ni(5)}})
	if got := sks(out.Items); len(got) != 4 || got[0] != 2 || got[3] != 5 {
		t.Fatalf("BETWEEN = %v", got)
	}
	out = q(&dynamodb.QueryInput{KeyConditionExpression: aws.String("pk = :p AND sk > :lo"), ScanIndexForward: aws.Bool(false),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("a"), ":lo": ni(6)}})
	if got := sks(out.Items); len(got) != 3 || got[0] != 9 || got[2] != 7 {
		t.Fatalf("descending > = %v", got)
	}
	// Paging: Limit counts items evaluated, before the filter.
	var all []int
	var start map[string]types.AttributeValue
	pages := 0
	for {
		out = q(&dynamodb.QueryInput{KeyConditionExpression: aws.String("pk = :p"), FilterExpression: aws.String("v <> :three"), Limit: aws.Int32(4),
			ExclusiveStartKey: start, ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("a"), ":three": s("3")}})
		pages++
		all = append(all, sks(out.Items)...)
		if out.ScannedCount != 4 && out.LastEvaluatedKey != nil {
			t.Fatalf("ScannedCount = %d with a LastEvaluatedKey", out.ScannedCount)
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		start = out.LastEvaluatedKey
	}
	if len(all) != 9 || pages != 3 {
		t.Fatalf("paged query = %v in %d pages", all, pages)
	}
	// GSI query with the index-key form of LastEvaluatedKey.
	out = q(&dynamodb.QueryInput{IndexName: aws.String("byG"), KeyConditionExpression: aws.String("g = :g"), Limit: aws.Int32(2),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("G1")}})
	if len(out.Items) != 2 || len(out.LastEvaluatedKey) != 3 || out.LastEvaluatedKey["g"] == nil {
		t.Fatalf("GSI page = %v, LEK %v", out.Items, out.LastEvaluatedKey)
	}
	rest := q(&dynamodb.QueryInput{IndexName: aws.String("byG"), KeyConditionExpression: aws.String("g = :g"), ExclusiveStartKey: out.LastEvaluatedKey,
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("G1")}})
	if len(rest.Items) != 3 { // G1: a1 a4 a7 b1 b4
		t.Fatalf("GSI rest = %d items", len(rest.Items))
	}
	// LSI keeps keys only: the projection has pk, sk and l.
	out = q(&dynamodb.QueryInput{IndexName: aws.String("byL"), KeyConditionExpression: aws.String("pk = :p AND l < :z"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("b"), ":z": ni(-2)}})
	if got := sks(out.Items); len(got) != 2 || got[0] != 4 || len(out.Items[0]) != 3 {
		t.Fatalf("LSI = %v %v", got, out.Items)
	}
	_, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Orders"), IndexName: aws.String("byG"), ConsistentRead: aws.Bool(true),
		KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("G1")}})
	wantError(t, err, "ValidationException", "Consistent reads are not supported on global secondary indexes")
	// COUNT.
	out = q(&dynamodb.QueryInput{KeyConditionExpression: aws.String("pk = :p"), Select: types.SelectCount,
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("b")}})
	if out.Count != 5 || out.Items != nil {
		t.Fatalf("COUNT = %d, items %v", out.Count, out.Items)
	}

	// Parallel scan segments partition the table.
	seen := map[string]bool{}
	for seg := range 4 {
		sc, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Orders"), Segment: aws.Int32(int32(seg)), TotalSegments: aws.Int32(4)})
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range sc.Items {
			k := it["pk"].(*types.AttributeValueMemberS).Value + it["sk"].(*types.AttributeValueMemberN).Value
			if seen[k] {
				t.Fatalf("item %s in two segments", k)
			}
			seen[k] = true
		}
	}
	if len(seen) != 15 {
		t.Fatalf("segments returned %d items, want 15", len(seen))
	}
	sc, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Orders"), FilterExpression: aws.String("g = :g"),
		ProjectionExpression: aws.String("v"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("G0")}})
	if err != nil || sc.Count != 6 || sc.ScannedCount != 15 || len(sc.Items[0]) != 1 {
		t.Fatalf("filtered scan = %+v, %v", sc, err)
	}
}

func TestBatchOperations(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	var writes []types.WriteRequest
	for i := range 25 {
		writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": s("p"), "sk": ni(i)}}})
	}
	bw, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"Orders": writes}})
	if err != nil || len(bw.UnprocessedItems) != 0 {
		t.Fatalf("BatchWriteItem: %v %v", bw, err)
	}
	_, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"Orders": append(writes, writes[0])}})
	wantError(t, err, "ValidationException", "Too many items requested for the BatchWriteItem call")
	_, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"Orders": {writes[0], writes[0]}}})
	wantError(t, err, "ValidationException", "Provided list of item keys contains duplicates")

	var keys []map[string]types.AttributeValue
	for i := range 30 {
		keys = append(keys, map[string]types.AttributeValue{"pk": s("p"), "sk": ni(i)})
	}
	bg, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"Orders": {Keys: keys}}})
	if err != nil || len(bg.Responses["Orders"]) != 25 || len(bg.UnprocessedKeys) != 0 {
		t.Fatalf("BatchGetItem: %d items, %v", len(bg.Responses["Orders"]), err)
	}
}

func TestTransactions(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	putOrders(t, c, "Orders", "a", 2)
	k := func(i int) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"pk": s("a"), "sk": ni(i)}
	}

	_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{"pk": s("a"), "sk": ni(5)}}},
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String("Orders"), Key: k(0), ConditionExpression: aws.String("attribute_not_exists(pk)"),
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || len(tce.CancellationReasons) != 2 || *tce.CancellationReasons[0].Code != "None" ||
		*tce.CancellationReasons[1].Code != "ConditionalCheckFailed" || tce.CancellationReasons[1].Item["v"] == nil {
		t.Fatalf("cancelled transaction: %v", err)
	}
	if got, _ := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: k(5)}); got.Item != nil {
		t.Fatal("a cancelled transaction wrote its Put")
	}

	tx := &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String("token-1"), TransactItems: []types.TransactWriteItem{
		{Put: &types.Put{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{"pk": s("a"), "sk": ni(5)}}},
		{Update: &types.Update{TableName: aws.String("Orders"), Key: k(0), UpdateExpression: aws.String("SET cnt = if_not_exists(cnt, :z) + :one"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":z": ni(0), ":one": ni(1)}}},
		{Delete: &types.Delete{TableName: aws.String("Orders"), Key: k(1)}},
	}}
	for range 2 { // the retry with the same token applies nothing
		if _, err := c.TransactWriteItems(ctx, tx); err != nil {
			t.Fatal(err)
		}
	}
	tg, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		{Get: &types.Get{TableName: aws.String("Orders"), Key: k(0)}},
		{Get: &types.Get{TableName: aws.String("Orders"), Key: k(1)}},
		{Get: &types.Get{TableName: aws.String("Orders"), Key: k(5)}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if cnt := tg.Responses[0].Item["cnt"]; cnt == nil || cnt.(*types.AttributeValueMemberN).Value != "1" {
		t.Fatalf("cnt after an idempotent retry = %v", cnt)
	}
	if tg.Responses[1].Item != nil || tg.Responses[2].Item == nil {
		t.Fatalf("TransactGetItems = %+v", tg.Responses)
	}
	tx.TransactItems = tx.TransactItems[:1]
	_, err = c.TransactWriteItems(ctx, tx)
	wantError(t, err, "IdempotentParameterMismatchException", "")

	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Delete: &types.Delete{TableName: aws.String("Orders"), Key: k(0)}},
		{Delete: &types.Delete{TableName: aws.String("Orders"), Key: k(0)}},
	}})
	wantError(t, err, "ValidationException", "Transaction request cannot include multiple operations on one item")
}

func TestUpdateTableBackfillsGSI(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	putOrders(t, c, "Orders", "a", 6)
	_, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("Orders"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("v"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{
			{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: aws.String("byV"),
				KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("v"), KeyType: types.KeyTypeHash}},
				Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}},
			{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("byG")}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Orders"), IndexName: aws.String("byV"),
		KeyConditionExpression: aws.String("v = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("4")}})
	if err != nil || out.Count != 1 || sks(out.Items)[0] != 4 {
		t.Fatalf("query on backfilled index: %v %v", out, err)
	}
	d, _ := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("Orders")})
	if len(d.Table.GlobalSecondaryIndexes) != 1 || *d.Table.GlobalSecondaryIndexes[0].ItemCount != 6 {
		t.Fatalf("GSIs after update = %+v", d.Table.GlobalSecondaryIndexes)
	}
	_, err = c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Orders"), IndexName: aws.String("byG"),
		KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("G1")}})
	wantError(t, err, "ValidationException", "The table does not have the specified index: byG")
}

func TestTTLSweeper(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	db, c := open(t, ddblocal.Options{Now: func() time.Time { return now }, TTLInterval: -1})
	createOrders(t, c, "Orders")
	_, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("Orders"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("exp")}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("Orders")})
	if err != nil || d.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Fatalf("DescribeTimeToLive = %v %v", d, err)
	}
	exp := map[int]string{0: "1699999999", 1: "1700000000", 2: "1700000001", 3: "1000", 4: "not-a-number"}
	for i, e := range exp {
		item := map[string]types.AttributeValue{"pk": s("a"), "sk": ni(i), "g": s("G")}
		if i == 4 {
			item["exp"] = s(e)
		} else {
			item["exp"] = n(e)
		}
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	deleted, err := db.SweepExpired()
	if err != nil || deleted != 2 {
		t.Fatalf("SweepExpired = %d, %v; want 2", deleted, err)
	}
	out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Orders"), IndexName: aws.String("byG"),
		KeyConditionExpression: aws.String("g = :g"), ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("G")}})
	if err != nil {
		t.Fatal(err)
	}
	got := sks(out.Items)
	sort.Ints(got)
	if len(got) != 3 || got[0] != 2 || got[1] != 3 || got[2] != 4 {
		t.Fatalf("items left in the index = %v, want [2 3 4]", got)
	}
}

// TestTTLSweeperRuns leaves the sweeper to the engine on the real clock,
// running every 20 ms: an expired item disappears on its own, one that
// expires in an hour stays.
func TestTTLSweeperRuns(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{TTLInterval: 20 * time.Millisecond})
	createOrders(t, c, "Orders")
	if _, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("Orders"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: aws.String("exp")}}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().Unix()
	for i, exp := range []int64{now - 10, now + 3600} {
		item := map[string]types.AttributeValue{"pk": s("a"), "sk": ni(i), "g": s("G"), "exp": n(strconv.FormatInt(exp, 10))}
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	for deadline := time.Now().Add(20 * time.Second); ; {
		out, err := c.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("Orders"), ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		got := sks(out.Items)
		if len(got) == 1 && got[0] == 1 {
			break
		}
		if len(got) == 0 || time.Now().After(deadline) {
			t.Fatalf("items left = %v, want [1]: the expired item swept, the other kept", got)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestSecondOpenRefused(t *testing.T) {
	dir := t.TempDir()
	db, err := ddblocal.Open(dir, ddblocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = ddblocal.Open(dir, ddblocal.Options{})
	if want := "data directory " + dir + " is in use by another process"; err == nil || err.Error() != want {
		t.Fatalf("second Open: %v; want %q", err, want)
	}
}

// TestNumberSpelling checks that numbers come back spelled as DynamoDB
// Local spells them: a PutItem item's top-level numbers and set elements
// canonical; an update's values as sent, sets in Java's BigDecimal form;
// arithmetic as the exact sum in plain notation; a set an ADD or DELETE
// changed canonical, one it left alone as stored.
func TestNumberSpelling(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	key := func(sk string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"pk": s("p"), "sk": n(sk)}
	}
	ns := func(v ...string) types.AttributeValue { return &types.AttributeValueMemberNS{Value: v} }
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Orders"), Item: map[string]types.AttributeValue{
		"pk": s("p"), "sk": n("1"), "a": n("1e3"), "s": ns("2.50", "1e3"),
		"m": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{"x": n("1e3")}},
	}}); err != nil {
		t.Fatal(err)
	}
	update := func(sk, expr string, vals map[string]types.AttributeValue) {
		t.Helper()
		if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Orders"), Key: key(sk),
			UpdateExpression: aws.String(expr), ExpressionAttributeValues: vals}); err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
	}
	update("2", "SET a = :v, s = :s ADD b :v", map[string]types.AttributeValue{":v": n("1e3"), ":s": ns("2.50", "1e3", "0.0000001")})
	update("3", "SET a = :x + :y, b = :x - :x", map[string]types.AttributeValue{":x": n("5.0"), ":y": n("1e3")})
	update("4", "SET s = :s, t = :s", map[string]types.AttributeValue{":s": ns("5.0", "7e1")})
	update("4", "ADD s :new, t :old", map[string]types.AttributeValue{":new": ns("1"), ":old": ns("5")})
	if _, err := c.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("Orders"), Key: key("5"),
		AttributeUpdates: map[string]types.AttributeValueUpdate{"a": {Action: types.AttributeActionPut, Value: n("1e3")}}}); err != nil {
		t.Fatal(err)
	}
	want := map[string]map[string]string{
		"1": {"a": "1000", "s": "[2.5 1000]", "m.x": "1e3"},
		"2": {"a": "1e3", "b": "1e3", "s": "[1E-7 2.50 1E+3]"},
		"3": {"a": "1005.0", "b": "0.0"},
		"4": {"s": "[1 5 70]", "t": "[5.0 7E+1]"},
		"5": {"a": "1e3"},
	}
	for sk, attrs := range want {
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("Orders"), Key: key(sk), ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		for name, w := range attrs {
			var got string
			switch v := out.Item[name].(type) {
			case *types.AttributeValueMemberN:
				got = v.Value
			case *types.AttributeValueMemberNS:
				got = fmt.Sprint(v.Value)
			case nil:
				if m, ok := out.Item["m"].(*types.AttributeValueMemberM); ok && name == "m.x" {
					got = m.Value["x"].(*types.AttributeValueMemberN).Value
				}
			}
			if got != w {
				t.Errorf("item %s: %s = %q, want %q", sk, name, got, w)
			}
		}
	}
}

// TestQueryErrorOrder checks that a Query reports an error of its
// FilterExpression before a key condition BETWEEN whose bounds are out of
// order, as DynamoDB Local does.
func TestQueryErrorOrder(t *testing.T) {
	ctx := context.Background()
	_, c := open(t, ddblocal.Options{})
	createOrders(t, c, "Orders")
	in := &dynamodb.QueryInput{TableName: aws.String("Orders"),
		KeyConditionExpression: aws.String("pk = :p AND sk BETWEEN :hi AND :lo"),
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":p": s("p"), ":hi": n("10"), ":lo": n("1"),
		}}
	_, err := c.Query(ctx, in)
	wantError(t, err, "ValidationException", "Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}")
	in.FilterExpression = aws.String("a < :m")
	in.ExpressionAttributeValues[":m"] = &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{}}
	_, err = c.Query(ctx, in)
	wantError(t, err, "ValidationException", "Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: M")
}
