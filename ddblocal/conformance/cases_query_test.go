package conformance

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Sort key values that exercise ordering: negatives, decimals, exponents,
// 38 digits; UTF-8 strings beyond the BMP; binary values with high bytes.
var (
	numberKeys = []string{"-1e10", "-99999999999999999999999999999999999999", "-1.5", "-1", "-0.001", "0", "0.001",
		"1", "1.5", "2", "10", "100", "1e10", "12345678901234567890123456789012345678", "9.9999999999999999999999999999999999999e125"}
	stringKeys = []string{"", "A", "Z", "a", "aa", "ab", "b", "é", "ü", "中", "𝄞", "~", "a b", "a\x00"}
	binaryKeys = []string{"\x00", "\x00\x00", "\x01", "\x7f", "\x80", "\xff", "\xff\x00", "a", "ab"}
)

// keyTable fills a table whose sort key has type typ with one item per
// sort key value, in partitions "p1" and "p2" (with half the items), and
// returns the steps and the values.
func keyTable(tb, typ string) ([]step, []av) {
	var vals []av
	switch typ {
	case "N":
		for _, k := range numberKeys {
			vals = append(vals, N(k))
		}
	case "S":
		for _, k := range stringKeys[1:] { // an empty string is no key
			vals = append(vals, S(k))
		}
	case "B":
		for _, k := range binaryKeys {
			vals = append(vals, B(k))
		}
	}
	steps := seq(table(tb, "pk:S", "sk:"+typ))
	for i, v := range vals {
		steps = append(steps, call(put(tb, item("pk", S("p1"), "sk", v, "i", N(fmt.Sprint(i)), "odd", BOOL(i%2 == 1)))))
		if i%2 == 0 {
			steps = append(steps, call(put(tb, item("pk", S("p2"), "sk", v, "i", N(fmt.Sprint(i))))))
		}
	}
	return steps, vals
}

func query(tb, kce string, vals map[string]av) *dynamodb.QueryInput {
	return &dynamodb.QueryInput{TableName: str(tb), KeyConditionExpression: str(kce), ExpressionAttributeValues: vals}
}

// keyConditionSteps queries p1 with every sort key operator against each
// of the given values, forward and backward.
func keyConditionSteps(tb string, vals []av) []step {
	var steps []step
	for i, v := range vals {
		if i%3 != 0 && i != len(vals)-1 {
			continue
		}
		for _, op := range []string{"=", "<", "<=", ">", ">="} {
			steps = append(steps, walk(query(tb, "pk = :p AND sk "+op+" :v", item(":p", S("p1"), ":v", v))))
		}
		hi := vals[min(i+4, len(vals)-1)]
		steps = append(steps, walk(query(tb, "pk = :p AND sk BETWEEN :v AND :w", item(":p", S("p1"), ":v", v, ":w", hi))))
		back := query(tb, "pk = :p AND sk > :v", item(":p", S("p1"), ":v", v))
		back.ScanIndexForward = aws.Bool(false)
		steps = append(steps, walk(back))
	}
	return steps
}

// queryCases cover Query: every key condition operator on N, S and B sort
// keys, filters, Limit before the filter, paging, order, Select, indexes.
func queryCases() []testCase {
	var cases []testCase
	for _, typ := range []string{"N", "S", "B"} {
		cases = append(cases, testCase{"sort-key-" + typ, func(n *names) []step {
			tb := n.table("Q" + typ)
			steps, vals := keyTable(tb, typ)
			steps = append(steps, keyConditionSteps(tb, vals)...)
			if typ != "N" {
				steps = append(steps, walk(query(tb, "pk = :p AND begins_with(sk, :v)", item(":p", S("p1"), ":v", vals[3]))))
			}
			return steps
		}})
	}
	cases = append(cases,
		testCase{"begins-with-strings", func(n *names) []step {
			tb := n.table("QBegins")
			steps, _ := keyTable(tb, "S")
			for _, p := range []string{"a", "é", "𝄞", "a\x00", "zz"} {
				steps = append(steps, walk(query(tb, "pk = :p AND begins_with(sk, :v)", item(":p", S("p1"), ":v", S(p)))))
			}
			return steps
		}},
		testCase{"paging-filter-select", func(n *names) []step {
			tb := n.table("QPage")
			steps, _ := keyTable(tb, "N")
			for _, limit := range []int32{1, 2, 3, 7, 100} {
				for _, forward := range []bool{true, false} {
					q := query(tb, "pk = :p", item(":p", S("p1")))
					q.Limit, q.ScanIndexForward = aws.Int32(limit), aws.Bool(forward)
					steps = append(steps, walk(q))
					f := query(tb, "pk = :p AND sk > :z", item(":p", S("p1"), ":z", N("-2"), ":t", BOOL(true)))
					f.FilterExpression, f.Limit, f.ScanIndexForward = str("odd = :t"), aws.Int32(limit), aws.Bool(forward)
					f.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal
					steps = append(steps, walk(f))
				}
			}
			count := query(tb, "pk = :p", item(":p", S("p1"), ":t", BOOL(true)))
			count.Select, count.FilterExpression, count.Limit = types.SelectCount, str("odd = :t"), aws.Int32(4)
			proj := query(tb, "pk = :p", item(":p", S("p1")))
			proj.ProjectionExpression, proj.Limit = str("i, sk"), aws.Int32(5)
			attrs := query(tb, "pk = :p", item(":p", S("p1")))
			attrs.Select = types.SelectSpecificAttributes
			attrs.AttributesToGet = []string{"i"}
			consistent := query(tb, "pk = :p", item(":p", S("p2")))
			consistent.ConsistentRead = aws.Bool(true)
			consistent.ReturnConsumedCapacity = types.ReturnConsumedCapacityIndexes
			start := query(tb, "pk = :p", item(":p", S("p1")))
			start.ExclusiveStartKey = item("pk", S("p1"), "sk", N("1.25"))
			badStart := query(tb, "pk = :p", item(":p", S("p1")))
			badStart.ExclusiveStartKey = item("pk", S("p2"), "sk", N("1"))
			return append(steps, walk(count), walk(proj), walk(attrs), walk(consistent), walk(start), call(badStart),
				walk(query(tb, "pk = :p", item(":p", S("none")))),
				walk(query(tb, "sk = :v AND pk = :p", item(":p", S("p1"), ":v", N("1")))),
				walk(query(tb, "(pk = :p) AND (sk > :v)", item(":p", S("p1"), ":v", N("1")))),
			)
		}},
		testCase{"query-errors", func(n *names) []step {
			tb := n.table("QErr")
			steps := seq(table(tb, "pk:S", "sk:N"), put(tb, item("pk", S("a"), "sk", N("1"))))
			p := item(":p", S("a"))
			for _, in := range []*dynamodb.QueryInput{
				query(tb, "sk = :v", item(":v", N("1"))),
				query(tb, "pk = :p OR pk = :p", p),
				query(tb, "pk < :p", p),
				query(tb, "pk = :p AND sk <> :v", item(":p", S("a"), ":v", N("1"))),
				query(tb, "pk = :p AND sk = :v", item(":p", S("a"), ":v", S("1"))),
				query(tb, "pk = :p AND other = :v", item(":p", S("a"), ":v", N("1"))),
				query(tb, "pk = :p AND begins_with(sk, :v)", item(":p", S("a"), ":v", N("1"))),
				query(tb, "pk = :p AND sk IN (:v)", item(":p", S("a"), ":v", N("1"))),
				query(tb, "pk = :p AND sk > :v AND sk < :v", item(":p", S("a"), ":v", N("1"))),
				query(tb, "pk = :p AND NOT sk = :v", item(":p", S("a"), ":v", N("1"))),
				query(tb, "pk = :x", p),
				query(tb, "pk = :p", item(":p", N("1"))),
				query(tb, "pk = :p AND ", p),
				query(tb, "", p),
				query(n.table("Missing"), "pk = :p", p),
				{TableName: str(tb), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: p, IndexName: str("NoSuchIndex")},
				{TableName: str(tb), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: p, Limit: aws.Int32(0)},
				{TableName: str(tb), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: p, FilterExpression: str("pk = :p")},
				{TableName: str(tb), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: p, FilterExpression: str("sk = :p")},
				{TableName: str(tb), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: p, Select: types.SelectAllProjectedAttributes},
				{TableName: str(tb), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: p, Select: types.SelectCount, ProjectionExpression: str("sk")},
				{TableName: str(tb), KeyConditionExpression: str("pk = :p"), ExpressionAttributeValues: p, ExclusiveStartKey: item("pk", S("a"))},
			} {
				steps = append(steps, call(in))
			}
			return steps
		}},
		testCase{"indexes", func(n *names) []step {
			tb := n.table("QIdx")
			in := withAttrs(table(tb, "pk:S", "sk:N"), "g:S", "gs:N", "l:S")
			in.GlobalSecondaryIndexes = []types.GlobalSecondaryIndex{
				gsi("All", "g", "gs", types.ProjectionTypeAll),
				gsi("Keys", "g", "", types.ProjectionTypeKeysOnly),
				gsi("Inc", "g", "gs", types.ProjectionTypeInclude, "x"),
			}
			in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{
				lsi("Loc", "pk", "l", types.ProjectionTypeAll),
				lsi("LocKeys", "pk", "l", types.ProjectionTypeKeysOnly),
				lsi("LocInc", "pk", "l", types.ProjectionTypeInclude, "x"),
			}
			steps := seq(in)
			for i := range 12 {
				it := item("pk", S(fmt.Sprintf("p%d", i%3)), "sk", N(fmt.Sprint(i)), "x", N(fmt.Sprint(i*i)), "y", S("why"))
				if i%2 == 0 { // sparse: only even items are in the GSIs
					it["g"], it["gs"] = S(fmt.Sprintf("g%d", i%4)), N(fmt.Sprint(-i))
				}
				if i%3 != 1 {
					it["l"] = S(fmt.Sprintf("l%02d", 20-i))
				}
				steps = append(steps, call(put(tb, it)))
			}
			gq := func(index, kce string, vals map[string]av, edit func(*dynamodb.QueryInput)) step {
				q := &dynamodb.QueryInput{TableName: str(tb), IndexName: str(index), KeyConditionExpression: str(kce), ExpressionAttributeValues: vals}
				if edit != nil {
					edit(q)
				}
				return walk(q)
			}
			g0 := item(":g", S("g0"))
			p0 := item(":p", S("p0"))
			for _, index := range []string{"All", "Keys", "Inc"} {
				steps = append(steps,
					gq(index, "g = :g", g0, nil),
					gq(index, "g = :g", g0, func(q *dynamodb.QueryInput) { q.Limit = aws.Int32(1); q.ScanIndexForward = aws.Bool(false) }),
					gq(index, "g = :g", g0, func(q *dynamodb.QueryInput) { q.Select = types.SelectAllProjectedAttributes }),
					gq(index, "g = :g", g0, func(q *dynamodb.QueryInput) { q.Select = types.SelectAllAttributes }),
					gq(index, "g = :g", g0, func(q *dynamodb.QueryInput) { q.ProjectionExpression = str("x, y, pk") }),
					gq(index, "g = :g", g0, func(q *dynamodb.QueryInput) { q.ConsistentRead = aws.Bool(true) }),
					gq(index, "g = :g", g0, func(q *dynamodb.QueryInput) { q.ReturnConsumedCapacity = types.ReturnConsumedCapacityIndexes }),
					walk(&dynamodb.ScanInput{TableName: str(tb), IndexName: str(index)}),
				)
			}
			steps = append(steps, gq("All", "g = :g AND gs < :z", item(":g", S("g2"), ":z", N("-3")), nil))
			for _, index := range []string{"Loc", "LocKeys", "LocInc"} {
				steps = append(steps,
					gq(index, "pk = :p", p0, nil),
					gq(index, "pk = :p AND l > :l", item(":p", S("p0"), ":l", S("l10")), func(q *dynamodb.QueryInput) { q.Limit = aws.Int32(1) }),
					gq(index, "pk = :p", p0, func(q *dynamodb.QueryInput) { q.Select = types.SelectAllAttributes }),
					gq(index, "pk = :p", p0, func(q *dynamodb.QueryInput) { q.ProjectionExpression = str("x, y") }),
					gq(index, "pk = :p", p0, func(q *dynamodb.QueryInput) {
						q.ConsistentRead = aws.Bool(true)
						q.ReturnConsumedCapacity = types.ReturnConsumedCapacityIndexes
					}),
					walk(&dynamodb.ScanInput{TableName: str(tb), IndexName: str(index)}),
				)
			}
			return steps
		}},
	)
	return cases
}
