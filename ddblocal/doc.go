// Package ddblocal is ddbsql's embedded DynamoDB-compatible engine: the
// DynamoDB JSON API served from one data directory, in pure Go, so ddbsql
// works with no AWS account, no Java and no Node. Amazon's DynamoDB Local is
// the reference for every answer: items, counts, paging keys, consumed
// capacity, exception types and messages.
//
// Storage is one bbolt file. Each table has its own bucket of items keyed
// by an order-preserving encoding of the key (keyenc.go): a 4-byte hash of
// the partition key, the partition key, then the sort key, so a Query is a
// range read (O(log n + k)) and parallel Scan segments are equal slices of
// the hash space. Each secondary index is a bucket of entries (index key,
// then table key) pointing at the item, written in the same transaction as
// the item. Writes go through a group commit (commit.go): every
// acknowledged write is fsynced, and concurrent writers share the fsync.
//
// Differences from DynamoDB Local a client can observe: Scan (and the order
// of items sharing one index key) follows ddbsql's partition hash, not
// DynamoDB Local's; the legacy parameters (Expected, AttributesToGet,
// KeyConditions, QueryFilter, ScanFilter, AttributeUpdates,
// ConditionalOperator) are refused with a ValidationException; PartiQL is
// not served.
//
// For example, serving the engine to the AWS SDK in process:
//
//	db, err := ddblocal.Open(dir, ddblocal.Options{})
//	...
//	client := dynamodb.New(dynamodb.Options{
//		HTTPClient:   db.HTTPClient(),
//		BaseEndpoint: aws.String("http://ddblocal"),
//		Region:       "us-east-1",
//		Credentials:  credentials.NewStaticCredentialsProvider("x", "x", ""),
//	})
package ddblocal
