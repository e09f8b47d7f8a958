package ddblocal_test

import (
	"context"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/ddblocal"
	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// benchClients runs fn once per backend, as sub-benchmarks, each with an SDK
// client and a table name of its own, so one run gives comparable figures:
//
//   - engine-inprocess: the engine served in process (the SDK's whole
//     request path, no socket), every write fsynced;
//   - engine-inprocess-nosync: the same with Options.NoSync;
//   - engine-http: the engine over HTTP on loopback (as `ddbsql local`);
//   - dynamodb-local, dynalite: the reference servers over HTTP, started by
//     internal/testbackend (DynamoDB Local runs only inside a private
//     network namespace; elsewhere that sub-benchmark is skipped).
//
// Each sub-benchmark reports ops/s besides ns/op.
func benchClients(b *testing.B, fn func(b *testing.B, c *dynamodb.Client, table string)) {
	b.Run("engine-inprocess", func(b *testing.B) {
		_, c := open(b, ddblocal.Options{})
		fn(b, c, "Orders")
	})
	b.Run("engine-inprocess-nosync", func(b *testing.B) {
		_, c := open(b, ddblocal.Options{NoSync: true})
		fn(b, c, "Orders")
	})
	b.Run("engine-http", func(b *testing.B) {
		db, _ := open(b, ddblocal.Options{})
		srv := httptest.NewServer(db.Handler())
		defer srv.Close()
		c := dynamodb.New(dynamodb.Options{
			BaseEndpoint: aws.String(srv.URL),
			Region:       "us-east-1",
			Credentials:  credentials.NewStaticCredentialsProvider("x", "x", ""),
		})
		fn(b, c, "Orders")
	})
	for _, name := range []string{testbackend.DynamoDBLocal, testbackend.Dynalite} {
		b.Run(name, func(b *testing.B) {
			be := testbackend.Get(b, name)
			c := testbackend.Client(b, be)
			table := testbackend.TableName(b, "Orders")
			b.Cleanup(func() {
				c.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: aws.String(table)})
			})
			fn(b, c, table)
		})
	}
}

// reportRate reports the figures the README quotes: µs/op and ops/s.
func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/op")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func benchItem(pk string, sk int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"pk": s(pk), "sk": ni(sk), "g": s("G" + strconv.Itoa(sk%7)), "l": ni(sk),
		"name": s("customer " + pk), "amount": n("123.45"), "note": s(strings.Repeat("x", 100)),
	}
}

func BenchmarkPutItem(b *testing.B) {
	benchClients(b, func(b *testing.B, c *dynamodb.Client, table string) {
		createOrders(b, c, table)
		ctx := context.Background()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: benchItem("p"+strconv.Itoa(i%1000), i)}); err != nil {
				b.Fatal(err)
			}
		}
		reportRate(b)
	})
}

func BenchmarkGetItem(b *testing.B) {
	benchClients(b, func(b *testing.B, c *dynamodb.Client, table string) {
		createOrders(b, c, table)
		ctx := context.Background()
		for i := range 1000 {
			if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(table), Item: benchItem("p"+strconv.Itoa(i), 1)}); err != nil {
				b.Fatal(err)
			}
		}
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table),
				Key: map[string]types.AttributeValue{"pk": s("p" + strconv.Itoa(i%1000)), "sk": ni(1)}})
			if err != nil || out.Item == nil {
				b.Fatal(out, err)
			}
		}
		reportRate(b)
	})
}

func BenchmarkQuery20(b *testing.B) {
	benchClients(b, func(b *testing.B, c *dynamodb.Client, table string) {
		createOrders(b, c, table)
		ctx := context.Background()
		var writes []types.WriteRequest
		for p := range 50 {
			for i := range 20 {
				writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: benchItem("p"+strconv.Itoa(p), i)}})
				if len(writes) == 25 {
					if _, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{table: writes}}); err != nil {
						b.Fatal(err)
					}
					writes = nil
				}
			}
		}
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String(table), KeyConditionExpression: aws.String("pk = :p"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("p" + strconv.Itoa(i%50))}})
			if err != nil || out.Count != 20 {
				b.Fatal(out, err)
			}
		}
		reportRate(b)
	})
}
