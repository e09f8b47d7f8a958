package ddblocal

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	bolt "go.etcd.io/bbolt"
)

// scaleTable creates table "Scale" (pk S, sk N) and loads count items,
// 20 per partition, directly through the storage layer in large
// transactions: the SDK path would take hours for a million items.
func scaleTable(tb testing.TB, db *DB, c *dynamodb.Client, count, itemBytes int) {
	tb.Helper()
	_, err := c.CreateTable(context.Background(), &dynamodb.CreateTableInput{
		TableName: aws.String("Scale"),
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
		},
		BillingMode: types.BillingModePayPerRequest,
	})
	if err != nil {
		tb.Fatal(err)
	}
	pad := strings.Repeat("x", max(0, itemBytes-30))
	const perTx = 20000
	for base := 0; base < count; base += perTx {
		err := db.bolt.Update(func(tx *bolt.Tx) error {
			t, err := db.table(tx, "Scale")
			if err != nil {
				return err
			}
			c := newCapacity(t.Name)
			for i := base; i < min(base+perTx, count); i++ {
				it := item{
					"pk":  &types.AttributeValueMemberS{Value: "p" + strconv.Itoa(i/20)},
					"sk":  &types.AttributeValueMemberN{Value: strconv.Itoa(i % 20)},
					"pad": &types.AttributeValueMemberS{Value: pad},
				}
				if err := storeItem(tx, t, t.Key.itemKey(it), nil, it, c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func scaleClient(db *DB) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		HTTPClient:   db.HTTPClient(),
		BaseEndpoint: aws.String("http://ddblocal"),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("x", "x", ""),
	})
}

// BenchmarkQueryScale queries one 20-item partition of tables of 1,000 and
// 1,000,000 items: the cost should barely grow with the table (O(log n + k)).
func BenchmarkQueryScale(b *testing.B) {
	for _, count := range []int{1_000, 1_000_000} {
		b.Run(strconv.Itoa(count), func(b *testing.B) {
			db, err := Open(b.TempDir(), Options{TTLInterval: -1})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			c := scaleClient(db)
			scaleTable(b, db, c, count, 100)
			partitions := count / 20
			ctx := context.Background()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				out, err := c.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Scale"), KeyConditionExpression: aws.String("pk = :p"),
					ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "p" + strconv.Itoa((i*7919)%partitions)}}})
				if err != nil || out.Count != 20 {
					b.Fatal(out, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/op")
		})
	}
}

// BenchmarkDiskPerItem measures the data file's size per item for items of
// several sizes (20,000 items each), reported as disk-B/item next to the
// item's own size.
func BenchmarkDiskPerItem(b *testing.B) {
	for _, size := range []int{100, 1000, 10000} {
		b.Run(fmt.Sprintf("item=%dB", size), func(b *testing.B) {
			for b.Loop() {
				dir := b.TempDir()
				db, err := Open(dir, Options{TTLInterval: -1})
				if err != nil {
					b.Fatal(err)
				}
				scaleTable(b, db, scaleClient(db), 20000, size)
				db.Close()
				fi, err := os.Stat(filepath.Join(dir, dataFile))
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(float64(fi.Size())/20000, "disk-B/item")
			}
		})
	}
}
