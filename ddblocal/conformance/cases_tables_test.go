package conformance

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// tableCases cover the table operations: creating tables of every key
// type with every kind of index, describing, listing, updating and
// deleting them, TTL and tags, and the errors of invalid definitions.
func tableCases() []testCase {
	return []testCase{
		{"create-describe-delete", func(n *names) []step {
			tb := n.table("Basic")
			return seq(table(tb, "pk:S", ""), describe(tb),
				&dynamodb.DeleteTableInput{TableName: str(tb)},
				describe(tb),
				&dynamodb.DeleteTableInput{TableName: str(tb)})
		}},
		{"key-types", func(n *names) []step {
			var steps []step
			for _, h := range []string{"S", "N", "B"} {
				for _, r := range []string{"", "S", "N", "B"} {
					tb := n.table("Keys" + h + r)
					rk := ""
					if r != "" {
						rk = "sk:" + r
					}
					steps = append(steps, call(table(tb, "pk:"+h, rk)), describe(tb))
				}
			}
			return steps
		}},
		{"provisioned", func(n *names) []step {
			tb := n.table("Prov")
			in := table(tb, "id:N", "ts:S")
			in.BillingMode = types.BillingModeProvisioned
			in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(3)}
			implicit := table(n.table("ProvImplicit"), "id:S", "")
			implicit.BillingMode = ""
			implicit.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}
			return seq(in, describe(tb), implicit, describe(n.table("ProvImplicit")))
		}},
		{"indexes", func(n *names) []step {
			tb := n.table("Indexed")
			in := withAttrs(table(tb, "pk:S", "sk:N"), "g1:S", "g2:N", "l1:S", "g3:B")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{
				gsi("ByG1", "g1", "", types.ProjectionTypeAll),
				gsi("ByG1G2", "g1", "g2", types.ProjectionTypeKeysOnly),
				gsi("ByG3", "g3", "sk", types.ProjectionTypeInclude, "a", "b"),
			}
			in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{
				lsi("ByL1", "pk", "l1", types.ProjectionTypeAll),
				lsi("ByL1Keys", "pk", "l1", types.ProjectionTypeKeysOnly),
				lsi("ByL1Inc", "pk", "l1", types.ProjectionTypeInclude, "x"),
			}
			prov := withAttrs(table(n.table("IndexedProv"), "pk:S", ""), "g:S")
			prov.BillingMode = types.BillingModeProvisioned
			prov.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(2), WriteCapacityUnits: aws.Int64(2)}
			g := gsi("ByG", "g", "", types.ProjectionTypeAll)
			g.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(4), WriteCapacityUnits: aws.Int64(1)}
			prov.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{g}
			return seq(in, describe(tb), prov, describe(n.table("IndexedProv")))
		}},
		{"invalid-definitions", invalidTableDefinitions},
		{"list-tables", func(n *names) []step {
			var steps []step
			for i := range 5 {
				steps = append(steps, call(table(n.table(fmt.Sprintf("List%d", i)), "pk:S", "")))
			}
			return append(steps,
				walk(&dynamodb.ListTablesInput{}),
				walk(&dynamodb.ListTablesInput{Limit: aws.Int32(2)}),
				walk(&dynamodb.ListTablesInput{Limit: aws.Int32(1), ExclusiveStartTableName: str(n.table("List1"))}),
				call(&dynamodb.ListTablesInput{ExclusiveStartTableName: str("zzzz")}),
				call(&dynamodb.ListTablesInput{Limit: aws.Int32(0)}),
				call(&dynamodb.ListTablesInput{Limit: aws.Int32(101)}),
				call(&dynamodb.ListTablesInput{ExclusiveStartTableName: str("a")}),
			)
		}},
		{"update-table", func(n *names) []step {
			tb := n.table("Upd")
			return seq(
				withAttrs(table(tb, "pk:S", ""), "g:S"),
				&dynamodb.UpdateTableInput{TableName: str(tb), BillingMode: types.BillingModeProvisioned,
					ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(3), WriteCapacityUnits: aws.Int64(4)}},
				describe(tb),
				&dynamodb.UpdateTableInput{TableName: str(tb),
					ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(6), WriteCapacityUnits: aws.Int64(4)}},
				&dynamodb.UpdateTableInput{TableName: str(tb), BillingMode: types.BillingModePayPerRequest},
				describe(tb),
				&dynamodb.UpdateTableInput{TableName: str(tb),
					AttributeDefinitions: []types.AttributeDefinition{{AttributeName: str("g"), AttributeType: types.ScalarAttributeTypeS}},
					GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
						IndexName: str("ByG"), KeySchema: keyElems("g", ""), Projection: projection(types.ProjectionTypeKeysOnly, nil)}}}},
				describe(tb),
				// An index of that name exists already.
				&dynamodb.UpdateTableInput{TableName: str(tb),
					AttributeDefinitions: []types.AttributeDefinition{{AttributeName: str("g"), AttributeType: types.ScalarAttributeTypeS}},
					GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{
						IndexName: str("ByG"), KeySchema: keyElems("g", ""), Projection: projection(types.ProjectionTypeAll, nil)}}}},
				&dynamodb.UpdateTableInput{TableName: str(tb),
					GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: str("ByG")}}}},
				describe(tb),
				&dynamodb.UpdateTableInput{TableName: str(tb),
					GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: str("Nope")}}}},
				// Nothing to update.
				&dynamodb.UpdateTableInput{TableName: str(tb)},
				&dynamodb.UpdateTableInput{TableName: str(n.table("Missing")), BillingMode: types.BillingModePayPerRequest},
			)
		}},
		{"ttl", func(n *names) []step {
			tb := n.table("TTL")
			ttl := func(enabled bool, attr string) *dynamodb.UpdateTimeToLiveInput {
				return &dynamodb.UpdateTimeToLiveInput{TableName: str(tb), TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(enabled), AttributeName: str(attr)}}
			}
			return seq(table(tb, "pk:S", ""),
				&dynamodb.DescribeTimeToLiveInput{TableName: str(tb)},
				ttl(true, "expires"),
				&dynamodb.DescribeTimeToLiveInput{TableName: str(tb)},
				ttl(true, "expires"),
				ttl(true, "other"),
				ttl(false, "other"),
				ttl(false, "expires"),
				&dynamodb.DescribeTimeToLiveInput{TableName: str(tb)},
				&dynamodb.DescribeTimeToLiveInput{TableName: str(n.table("Missing"))},
				&dynamodb.UpdateTimeToLiveInput{TableName: str(n.table("Missing")), TimeToLiveSpecification: &types.TimeToLiveSpecification{Enabled: aws.Bool(true), AttributeName: str("x")}},
			)
		}},
		{"tags", func(n *names) []step {
			tb := n.table("Tagged")
			in := table(tb, "pk:S", "")
			in.Tags = []types.Tag{{Key: str("env"), Value: str("test")}, {Key: str("team"), Value: str("db")}}
			arn := func(prev any) string { return aws.ToString(prev.(*dynamodb.DescribeTableOutput).Table.TableArn) }
			list := func(prev any) any { return &dynamodb.ListTagsOfResourceInput{ResourceArn: str(arn(prev))} }
			return seq(in, describe(tb),
				expect(derived(list), 200, `{"Tags":[{"Key":"env","Value":"test"},{"Key":"team","Value":"db"}]}`),
				describe(tb),
				expect(derived(func(prev any) any {
					return &dynamodb.TagResourceInput{ResourceArn: str(arn(prev)), Tags: []types.Tag{{Key: str("owner"), Value: str("x")}, {Key: str("env"), Value: str("prod")}}}
				}), 200, `{}`),
				describe(tb),
				expect(derived(list), 200, `{"Tags":[{"Key":"env","Value":"prod"},{"Key":"owner","Value":"x"},{"Key":"team","Value":"db"}]}`),
				describe(tb),
				expect(derived(func(prev any) any {
					return &dynamodb.UntagResourceInput{ResourceArn: str(arn(prev)), TagKeys: []string{"team", "absent"}}
				}), 200, `{}`),
				describe(tb),
				expect(derived(list), 200, `{"Tags":[{"Key":"env","Value":"prod"},{"Key":"owner","Value":"x"}]}`),
				expect(call(&dynamodb.ListTagsOfResourceInput{ResourceArn: str("arn:aws:dynamodb:ddblocal:000000000000:table/" + n.table("Missing"))}), 400,
					`{"__type":"ResourceNotFoundException","message":"Requested resource not found: ResourceArn: arn:aws:dynamodb:ddblocal:000000000000:table/`+n.table("Missing")+` not found"}`),
			)
		}},
	}
}

// invalidTableDefinitions is one failing CreateTable per rule DynamoDB
// checks, then a valid table created twice.
func invalidTableDefinitions(n *names) []step {
	tb := n.table("Bad")
	mk := func(edit func(in *dynamodb.CreateTableInput)) *dynamodb.CreateTableInput {
		in := table(tb, "pk:S", "sk:N")
		edit(in)
		return in
	}
	var steps []step
	for _, in := range []*dynamodb.CreateTableInput{
		mk(func(in *dynamodb.CreateTableInput) { in.TableName = str("ab") }),
		mk(func(in *dynamodb.CreateTableInput) { in.TableName = str("bad name!") }),
		mk(func(in *dynamodb.CreateTableInput) { in.AttributeDefinitions = in.AttributeDefinitions[:1] }),
		mk(func(in *dynamodb.CreateTableInput) { withAttrs(in, "extra:S") }),
		mk(func(in *dynamodb.CreateTableInput) { in.AttributeDefinitions[0].AttributeType = "BOOL" }),
		mk(func(in *dynamodb.CreateTableInput) {
			in.KeySchema[0], in.KeySchema[1] = in.KeySchema[1], in.KeySchema[0]
		}),
		mk(func(in *dynamodb.CreateTableInput) { in.KeySchema[1].KeyType = types.KeyTypeHash }),
		mk(func(in *dynamodb.CreateTableInput) { in.KeySchema = append(in.KeySchema, in.KeySchema[1]) }),
		mk(func(in *dynamodb.CreateTableInput) { in.BillingMode = types.BillingModeProvisioned }),
		mk(func(in *dynamodb.CreateTableInput) {
			in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			in.BillingMode = types.BillingModeProvisioned
			in.ProvisionedThroughput = &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(0), WriteCapacityUnits: aws.Int64(1)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			withAttrs(in, "g:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("G", "g", "", types.ProjectionTypeAll), gsi("G", "g", "", types.ProjectionTypeAll)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("G", "undefined", "", types.ProjectionTypeAll)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			withAttrs(in, "g:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("G", "g", "", types.ProjectionTypeInclude)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			withAttrs(in, "g:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("G", "g", "", types.ProjectionTypeKeysOnly, "a")}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			withAttrs(in, "l:S")
			in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{lsi("L", "other", "l", types.ProjectionTypeAll)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			withAttrs(in, "l:S")
			in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{lsi("L", "pk", "", types.ProjectionTypeAll)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			in.KeySchema = in.KeySchema[:1]
			in.AttributeDefinitions = in.AttributeDefinitions[:1]
			withAttrs(in, "l:S")
			in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{lsi("L", "pk", "l", types.ProjectionTypeAll)}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			withAttrs(in, "l:S")
			for i := range 6 {
				in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, lsi(fmt.Sprintf("L%d", i), "pk", "l", types.ProjectionTypeAll))
			}
		}),
		mk(func(in *dynamodb.CreateTableInput) {
			withAttrs(in, "g:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{gsi("x", "g", "", types.ProjectionTypeAll)}
		}),
		mk(func(in *dynamodb.CreateTableInput) { in.Tags = []types.Tag{{Key: str(""), Value: str("v")}} }),
	} {
		steps = append(steps, call(in))
	}
	return append(steps, call(table(tb, "pk:S", "")), call(table(tb, "pk:S", "")), describe(tb),
		call(&dynamodb.DeleteTableInput{TableName: str(n.table("NeverCreated"))}))
}
