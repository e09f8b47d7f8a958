package conformance

import (
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// scanCases cover Scan: full scans, Limit before the filter, page walks,
// Select, projections, parallel segments, consistency and errors.
func scanCases() []testCase {
	return []testCase{
		{"scan", func(n *names) []step {
			tb := n.table("Scan")
			steps := seq(table(tb, "pk:S", "sk:N"))
			for i := range 30 {
				steps = append(steps, call(put(tb, item("pk", S(fmt.Sprintf("p%02d", i%11)), "sk", N(fmt.Sprint(i)), "even", BOOL(i%2 == 0), "pad", S(fmt.Sprintf("%0*d", i*40, 0))))))
			}
			scan := func(edit func(*dynamodb.ScanInput)) *dynamodb.ScanInput {
				s := &dynamodb.ScanInput{TableName: str(tb)}
				if edit != nil {
					edit(s)
				}
				return s
			}
			t := item(":t", BOOL(true))
			steps = append(steps,
				walk(scan(nil)),
				walk(scan(func(s *dynamodb.ScanInput) { s.ReturnConsumedCapacity = types.ReturnConsumedCapacityTotal })),
				walk(scan(func(s *dynamodb.ScanInput) { s.ConsistentRead = aws.Bool(true) })),
				walk(scan(func(s *dynamodb.ScanInput) { s.Select = types.SelectCount })),
				walk(scan(func(s *dynamodb.ScanInput) { s.ProjectionExpression = str("sk, even") })),
			)
			for _, limit := range []int32{1, 4, 7, 30, 31} {
				steps = append(steps,
					walk(scan(func(s *dynamodb.ScanInput) { s.Limit = aws.Int32(limit) })),
					walk(scan(func(s *dynamodb.ScanInput) {
						s.Limit, s.FilterExpression, s.ExpressionAttributeValues = aws.Int32(limit), str("even = :t"), t
						s.ReturnConsumedCapacity = types.ReturnConsumedCapacityIndexes
					})),
					walk(scan(func(s *dynamodb.ScanInput) {
						s.Limit, s.FilterExpression, s.ExpressionAttributeValues, s.Select = aws.Int32(limit), str("even = :t"), t, types.SelectCount
					})),
				)
			}
			for _, segs := range []int32{1, 2, 3, 7} {
				steps = append(steps, segmented(scan(nil), segs), segmented(scan(func(s *dynamodb.ScanInput) { s.Limit = aws.Int32(3) }), segs))
			}
			for _, bad := range []*dynamodb.ScanInput{
				scan(func(s *dynamodb.ScanInput) { s.Segment, s.TotalSegments = aws.Int32(2), aws.Int32(2) }),
				scan(func(s *dynamodb.ScanInput) { s.Segment = aws.Int32(0) }),
				scan(func(s *dynamodb.ScanInput) { s.TotalSegments = aws.Int32(2) }),
				scan(func(s *dynamodb.ScanInput) { s.Segment, s.TotalSegments = aws.Int32(0), aws.Int32(1000001) }),
				scan(func(s *dynamodb.ScanInput) { s.Limit = aws.Int32(0) }),
				scan(func(s *dynamodb.ScanInput) { s.FilterExpression = str("even = :missing") }),
				scan(func(s *dynamodb.ScanInput) { s.FilterExpression = str("even = ") }),
				scan(func(s *dynamodb.ScanInput) { s.ExclusiveStartKey = item("pk", S("p01")) }),
				scan(func(s *dynamodb.ScanInput) { s.ExclusiveStartKey = item("pk", S("zz"), "sk", N("0")) }),
				scan(func(s *dynamodb.ScanInput) { s.IndexName = str("Nope") }),
				scan(func(s *dynamodb.ScanInput) { s.Select = types.SelectCount; s.ProjectionExpression = str("sk") }),
				{TableName: str(n.table("Missing"))},
			} {
				steps = append(steps, call(bad))
			}
			return steps
		}},
	}
}
