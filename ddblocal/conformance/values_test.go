package conformance

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Short constructors for attribute values, so that cases read like the
// JSON they send.

type av = types.AttributeValue

func S(s string) av     { return &types.AttributeValueMemberS{Value: s} }
func N(s string) av     { return &types.AttributeValueMemberN{Value: s} }
func B(s string) av     { return &types.AttributeValueMemberB{Value: []byte(s)} }
func BOOL(b bool) av    { return &types.AttributeValueMemberBOOL{Value: b} }
func NULL() av          { return &types.AttributeValueMemberNULL{Value: true} }
func L(vs ...av) av     { return &types.AttributeValueMemberL{Value: vs} }
func SS(s ...string) av { return &types.AttributeValueMemberSS{Value: s} }
func NS(s ...string) av { return &types.AttributeValueMemberNS{Value: s} }
func M(kv ...any) av    { return &types.AttributeValueMemberM{Value: item(kv...)} }
func BS(s ...string) av {
	bs := make([][]byte, len(s))
	for i, x := range s {
		bs[i] = []byte(x)
	}
	return &types.AttributeValueMemberBS{Value: bs}
}

// item builds an item (or key, or value map) from name, value pairs.
func item(kv ...any) map[string]av {
	if len(kv)%2 != 0 {
		panic("item: odd number of arguments")
	}
	m := make(map[string]av, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(av)
	}
	return m
}

// exprNames builds ExpressionAttributeNames from placeholder, name pairs.
func exprNames(kv ...string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

var str = aws.String

// keySchema describes a table's or index's keys: "pk:S" or "pk:S", "sk:N".
type keyAttr struct{ name, typ string }

func parseKey(spec string) keyAttr {
	for i := range spec {
		if spec[i] == ':' {
			return keyAttr{spec[:i], spec[i+1:]}
		}
	}
	panic(fmt.Sprintf("key spec %q lacks a type", spec))
}

// schema returns the KeySchema and AttributeDefinitions for hash (and
// range, when not empty) key specs such as "pk:S".
func schema(hash, rangeKey string) ([]types.KeySchemaElement, []types.AttributeDefinition) {
	h := parseKey(hash)
	ks := []types.KeySchemaElement{{AttributeName: str(h.name), KeyType: types.KeyTypeHash}}
	ad := []types.AttributeDefinition{{AttributeName: str(h.name), AttributeType: types.ScalarAttributeType(h.typ)}}
	if rangeKey != "" {
		r := parseKey(rangeKey)
		ks = append(ks, types.KeySchemaElement{AttributeName: str(r.name), KeyType: types.KeyTypeRange})
		ad = append(ad, types.AttributeDefinition{AttributeName: str(r.name), AttributeType: types.ScalarAttributeType(r.typ)})
	}
	return ks, ad
}

// table is an on-demand table with the given keys.
func table(name, hash, rangeKey string) *dynamodb.CreateTableInput {
	ks, ad := schema(hash, rangeKey)
	return &dynamodb.CreateTableInput{
		TableName:            str(name),
		KeySchema:            ks,
		AttributeDefinitions: ad,
		BillingMode:          types.BillingModePayPerRequest,
	}
}

// withAttrs adds attribute definitions (specs such as "gsk:N") that
// indexes need.
func withAttrs(in *dynamodb.CreateTableInput, specs ...string) *dynamodb.CreateTableInput {
	for _, s := range specs {
		a := parseKey(s)
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: str(a.name), AttributeType: types.ScalarAttributeType(a.typ)})
	}
	return in
}

// gsi is a global secondary index on hash (and range) attribute names.
func gsi(name, hash, rangeKey string, proj types.ProjectionType, nonKey ...string) types.GlobalSecondaryIndex {
	return types.GlobalSecondaryIndex{
		IndexName:  str(name),
		KeySchema:  keyElems(hash, rangeKey),
		Projection: projection(proj, nonKey),
	}
}

// lsi is a local secondary index sharing the table's hash key.
func lsi(name, hash, rangeKey string, proj types.ProjectionType, nonKey ...string) types.LocalSecondaryIndex {
	return types.LocalSecondaryIndex{
		IndexName:  str(name),
		KeySchema:  keyElems(hash, rangeKey),
		Projection: projection(proj, nonKey),
	}
}

func keyElems(hash, rangeKey string) []types.KeySchemaElement {
	ks := []types.KeySchemaElement{{AttributeName: str(hash), KeyType: types.KeyTypeHash}}
	if rangeKey != "" {
		ks = append(ks, types.KeySchemaElement{AttributeName: str(rangeKey), KeyType: types.KeyTypeRange})
	}
	return ks
}

func projection(t types.ProjectionType, nonKey []string) *types.Projection {
	p := &types.Projection{ProjectionType: t}
	if len(nonKey) > 0 {
		p.NonKeyAttributes = nonKey
	}
	return p
}

func describe(name string) step {
	return call(&dynamodb.DescribeTableInput{TableName: str(name)})
}

func put(tableName string, it map[string]av) *dynamodb.PutItemInput {
	return &dynamodb.PutItemInput{TableName: str(tableName), Item: it}
}

func get(tableName string, key map[string]av) *dynamodb.GetItemInput {
	return &dynamodb.GetItemInput{TableName: str(tableName), Key: key}
}

// puts is a step per item.
func puts(tableName string, items ...map[string]av) []step {
	steps := make([]step, len(items))
	for i, it := range items {
		steps[i] = call(put(tableName, it))
	}
	return steps
}

// seq flattens steps and slices of steps into one sequence.
func seq(parts ...any) []step {
	var out []step
	for _, p := range parts {
		switch x := p.(type) {
		case step:
			out = append(out, x)
		case []step:
			out = append(out, x...)
		default:
			out = append(out, call(x))
		}
	}
	return out
}
