package expr

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/value"
)

func TestMain(m *testing.M) { testbackend.Main(m) }

// Compact constructors of attribute values for the case tables.
func s(v string) types.AttributeValue     { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue     { return &types.AttributeValueMemberN{Value: v} }
func bin(v ...byte) types.AttributeValue  { return &types.AttributeValueMemberB{Value: v} }
func boolv(v bool) types.AttributeValue   { return &types.AttributeValueMemberBOOL{Value: v} }
func null() types.AttributeValue          { return &types.AttributeValueMemberNULL{Value: true} }
func ss(v ...string) types.AttributeValue { return &types.AttributeValueMemberSS{Value: v} }
func ns(v ...string) types.AttributeValue { return &types.AttributeValueMemberNS{Value: v} }
func bs(v ...[]byte) types.AttributeValue { return &types.AttributeValueMemberBS{Value: v} }
func l(v ...types.AttributeValue) types.AttributeValue {
	return &types.AttributeValueMemberL{Value: v}
}
func m(kv ...any) types.AttributeValue {
	out := map[string]types.AttributeValue{}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1].(types.AttributeValue)
	}
	return &types.AttributeValueMemberM{Value: out}
}

// refItems are the items every filter, condition, projection and update
// case is evaluated over; their key attribute is pk.
var refItems = []Item{
	{"pk": s("i1"), "s": s("abc"), "n": n("10"), "b": bin(1, 2, 3), "t": boolv(true), "z": null(),
		"ss": ss("q", "z"), "ns": ns("1", "3"), "bs": bs([]byte{1}, []byte{2}),
		"l": l(s("a"), n("2"), l(s("x"))), "m": m("x", n("1"), "y", m("z", s("deep")), "name", s("r"))},
	{"pk": s("i2"), "s": s("abd"), "n": n("-2.5"), "b": bin(1), "t": boolv(false),
		"ss": ss("r"), "ns": ns("10"), "l": l(), "m": m(), "u": s("héllo wörld")},
	{"pk": s("i3"), "s": s("b"), "n": n("10.0"), "l": l(n("1"), n("2"), n("3"), n("4")),
		"m": m("x", s("1")), "e": s("😀x"), "big": n("12345678901234567890123456789012345678")},
	{"pk": s("i4"), "n": n("1E+2"), "s": n("5"), "ss": ss("abc", "b"), "l": l(s("abc"))},
	{"pk": s("i5")},
}

// keyItems are the items of the table with a string partition key and a
// number sort key that key condition cases query.
var keyItems = func() []Item {
	var items []Item
	for _, p := range []string{"a", "b"} {
		for _, k := range []string{"-1", "0", "1", "1.5", "2", "10", "100"} {
			items = append(items, Item{"pk": s(p), "sk": n(k)})
		}
	}
	return items
}()

// refCase is one expression to run through DynamoDB Local and through this
// package. kind is "filter", "condition", "projection", "update" or "key".
type refCase struct {
	kind   string
	expr   string
	names  map[string]string
	values map[string]types.AttributeValue
}

func vals(kv ...any) map[string]types.AttributeValue {
	out := map[string]types.AttributeValue{}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i].(string)] = kv[i+1].(types.AttributeValue)
	}
	return out
}

func names(kv ...string) map[string]string {
	out := map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func filter(e string, nm map[string]string, v map[string]types.AttributeValue) refCase {
	return refCase{"filter", e, nm, v}
}

func condition(e string, nm map[string]string, v map[string]types.AttributeValue) refCase {
	return refCase{"condition", e, nm, v}
}

func update(e string, nm map[string]string, v map[string]types.AttributeValue) refCase {
	return refCase{"update", e, nm, v}
}

func projection(e string, nm map[string]string) refCase {
	return refCase{"projection", e, nm, nil}
}

func key(e string, nm map[string]string, v map[string]types.AttributeValue) refCase {
	return refCase{"key", e, nm, v}
}

// TestReference runs every case of refCases through DynamoDB Local and
// through this package, and requires the same outcome: the same error
// message, or the same items (filter, key), the same success or failure of
// a conditional write (condition), the same projected or updated items.
func TestReference(t *testing.T) {
	b := testbackend.Get(t, testbackend.DynamoDBLocal)
	client := testbackend.Client(t, b)
	ctx := context.Background()
	table := testbackend.TableName(t, "expr")
	keyed := testbackend.TableName(t, "expr_keyed")
	createTable(t, client, table, false)
	createTable(t, client, keyed, true)
	for _, it := range keyItems {
		put(t, client, keyed, it)
	}
	for i, c := range refCases {
		t.Run(fmt.Sprintf("%03d_%s", i, c.kind), func(t *testing.T) {
			t.Logf("%s %q names=%v values=%v", c.kind, c.expr, c.names, c.values)
			for _, it := range refItems {
				put(t, client, table, it)
			}
			switch c.kind {
			case "filter":
				out, err := client.Scan(ctx, &dynamodb.ScanInput{TableName: &table,
					FilterExpression: &c.expr, ExpressionAttributeNames: c.names, ExpressionAttributeValues: c.values})
				want, wantErr := keysOf(out, err, "pk")
				got, gotErr := localFilter(c, refItems, "FilterExpression")
				compare(t, want, wantErr, got, gotErr)
			case "condition":
				missing := Item{"pk": s("missing")}
				for _, it := range append(slices.Clone(refItems), missing) {
					_, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: it,
						ConditionExpression: &c.expr, ExpressionAttributeNames: c.names, ExpressionAttributeValues: c.values})
					want, wantErr := conditionOutcome(err)
					var got []string
					target := it
					if it["pk"].(*types.AttributeValueMemberS).Value == "missing" {
						target = nil
					}
					got, gotErr := localFilter(c, []Item{target}, "ConditionExpression")
					if want == nil {
						want = []string{}
					}
					if len(got) > 0 {
						got = []string{"true"}
					} else {
						got = []string{}
					}
					compare(t, want, wantErr, got, gotErr)
					_, _ = client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &table, Key: missing})
				}
			case "projection":
				for _, it := range refItems {
					out, err := client.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, Key: Item{"pk": it["pk"]},
						ProjectionExpression: &c.expr, ExpressionAttributeNames: c.names})
					used := NewUsed()
					p, gotErr := ParseProjection(c.expr, Attrs{c.names, c.values}, used)
					if gotErr == nil {
						gotErr = used.CheckUnused(Attrs{c.names, c.values})
					}
					if !sameError(t, err, gotErr) || err != nil {
						continue
					}
					if got := p.Apply(it); !value.Equal(m2av(out.Item), m2av(got)) {
						t.Errorf("item %v: DynamoDB Local projects %s, expr %s", it["pk"], show(out.Item), show(got))
					}
				}
			case "update":
				for _, it := range append(slices.Clone(refItems), Item{"pk": s("fresh")}) {
					_, _ = client.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: &table, Key: Item{"pk": s("fresh")}})
					out, err := client.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: &table, Key: Item{"pk": it["pk"]},
						UpdateExpression: &c.expr, ExpressionAttributeNames: c.names, ExpressionAttributeValues: c.values,
						ReturnValues: types.ReturnValueAllNew})
					used := NewUsed()
					u, gotErr := ParseUpdate(c.expr, Attrs{c.names, c.values}, used)
					if gotErr == nil {
						gotErr = used.CheckUnused(Attrs{c.names, c.values})
					}
					var got Item
					if gotErr == nil {
						got, gotErr = u.Apply(it)
					}
					if !sameError(t, err, gotErr) || err != nil {
						continue
					}
					if !value.Equal(m2av(out.Attributes), m2av(got)) {
						t.Errorf("item %v: DynamoDB Local updates to %s, expr to %s", it["pk"], show(out.Attributes), show(got))
					}
				}
			case "key":
				out, err := client.Query(ctx, &dynamodb.QueryInput{TableName: &keyed,
					KeyConditionExpression: &c.expr, ExpressionAttributeNames: c.names, ExpressionAttributeValues: c.values})
				var want []string
				var wantErr error
				if err != nil {
					wantErr = err
				} else {
					for _, it := range out.Items {
						want = append(want, keyText(it))
					}
				}
				used := NewUsed()
				kc, gotErr := ParseKeyCondition(c.expr, Attrs{c.names, c.values}, used, "pk", "S", "sk", "N")
				if gotErr == nil {
					gotErr = kc.Pending()
				}
				if gotErr == nil {
					gotErr = used.CheckUnused(Attrs{c.names, c.values})
				}
				var got []string
				if gotErr == nil {
					for _, it := range keyItems {
						if kc.Match(it) {
							got = append(got, keyText(it))
						}
					}
				}
				compare(t, want, wantErr, got, gotErr)
			default:
				t.Fatalf("unknown case kind %q", c.kind)
			}
		})
	}
}

func createTable(t *testing.T, client *dynamodb.Client, name string, withSort bool) {
	t.Helper()
	in := &dynamodb.CreateTableInput{
		TableName:   &name,
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema: []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
	}
	if withSort {
		in.AttributeDefinitions = append(in.AttributeDefinitions,
			types.AttributeDefinition{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN})
		in.KeySchema = append(in.KeySchema, types.KeySchemaElement{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange})
	}
	if _, err := client.CreateTable(context.Background(), in); err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, client *dynamodb.Client, table string, it Item) {
	t.Helper()
	if _, err := client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: &table, Item: it}); err != nil {
		t.Fatal(err)
	}
}

// localFilter evaluates c over items as the engine will: parse, check for
// unused placeholders, evaluate; it returns the pk of each matching item
// (or "" for the nil item).
func localFilter(c refCase, items []Item, which string) ([]string, error) {
	a := Attrs{c.names, c.values}
	used := NewUsed()
	cond, err := ParseCondition(c.expr, which, a, used)
	if err != nil {
		return nil, err
	}
	if err := used.CheckUnused(a); err != nil {
		return nil, err
	}
	got := []string{}
	for _, it := range items {
		ok, err := cond.Eval(it)
		if err != nil {
			return nil, err
		}
		if ok {
			k := ""
			if it != nil {
				k = it["pk"].(*types.AttributeValueMemberS).Value
			}
			got = append(got, k)
		}
	}
	return got, nil
}

// conditionOutcome turns a conditional PutItem's result into ["true"] when
// the write happened, [] when the condition failed, or the error.
func conditionOutcome(err error) ([]string, error) {
	var ccf *types.ConditionalCheckFailedException
	switch {
	case err == nil:
		return []string{"true"}, nil
	case errors.As(err, &ccf):
		return []string{}, nil
	}
	return nil, err
}

func keysOf(out *dynamodb.ScanOutput, err error, attr string) ([]string, error) {
	if err != nil {
		return nil, err
	}
	keys := []string{}
	for _, it := range out.Items {
		keys = append(keys, it[attr].(*types.AttributeValueMemberS).Value)
	}
	return keys, nil
}

func keyText(it Item) string {
	return it["pk"].(*types.AttributeValueMemberS).Value + "/" + it["sk"].(*types.AttributeValueMemberN).Value
}

// compare requires the same error message, or the same set of results.
func compare(t *testing.T, want []string, wantErr error, got []string, gotErr error) {
	t.Helper()
	if !sameError(t, wantErr, gotErr) || wantErr != nil {
		return
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(want, got) {
		t.Errorf("DynamoDB Local returns %q, expr %q", want, got)
	}
}

// sameError reports whether both outcomes are the same: both nil, or a
// ValidationException from DynamoDB Local with the message of expr's error.
func sameError(t *testing.T, want, got error) bool {
	t.Helper()
	if want == nil && got == nil {
		return true
	}
	if want == nil {
		t.Errorf("DynamoDB Local succeeds, expr fails: %v", got)
		return false
	}
	var api smithy.APIError
	if !errors.As(want, &api) {
		t.Fatalf("DynamoDB Local: %v", want)
	}
	if got == nil {
		t.Errorf("DynamoDB Local fails (%s: %s), expr succeeds", api.ErrorCode(), api.ErrorMessage())
		return false
	}
	var e *Error
	if !errors.As(got, &e) {
		t.Errorf("expr error %v (%T) is not an *Error", got, got)
		return false
	}
	if api.ErrorCode() != "ValidationException" || api.ErrorMessage() != e.Message {
		t.Errorf("messages differ:\nDynamoDB Local: %s: %s\nexpr:           %s", api.ErrorCode(), api.ErrorMessage(), e.Message)
		return false
	}
	return true
}

func m2av(it Item) types.AttributeValue { return &types.AttributeValueMemberM{Value: it} }

// show writes an item compactly for failure messages.
func show(it Item) string {
	keys := make([]string, 0, len(it))
	for k := range it {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	b.WriteString("{")
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s: %s", k, showValue(it[k]))
	}
	b.WriteString("}")
	return b.String()
}

func showValue(v types.AttributeValue) string {
	switch x := v.(type) {
	case *types.AttributeValueMemberM:
		return show(x.Value)
	case *types.AttributeValueMemberL:
		parts := make([]string, len(x.Value))
		for i, e := range x.Value {
			parts[i] = showValue(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return strings.TrimPrefix(fmt.Sprintf("%+v", v), "&")
}
