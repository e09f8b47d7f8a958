// Package ddblocal is ddbsql's embedded DynamoDB-compatible engine: the
// DynamoDB JSON API served from one data directory, in pure Go, so ddbsql
// works with no AWS account, no Java and no Node. Amazon's DynamoDB Local is
// the reference for every answer: items, counts, paging keys, consumed
// capacity, exception types and messages.
//
// Storage is one bbolt file. Each table has its own bucket of items keyed
// by an order-preserving encoding of the key (keyenc.go): DynamoDB Local's
// own hash of the partition key (SHA-1 of a salt and the value), the
// partition key, then the sort key, so a Query is a range read
// (O(log n + k)), and a Scan visits items, and parallel Scan segments split
// them, exactly as DynamoDB Local does. Each secondary index is a bucket of
// entries (index key, then table key) pointing at the item, written in the
// same transaction as the item. Writes go through a group commit
// (commit.go): every acknowledged write is fsynced, and concurrent writers
// share the fsync; Options.NoSync (`ddbsql local --no-sync`) skips the
// fsync for tests and throwaway data.
//
// Differences from DynamoDB Local a client can observe: of the legacy
// parameters only AttributesToGet and AttributeUpdates are served
// (translated into expressions); Expected, KeyConditions, QueryFilter,
// ScanFilter and ConditionalOperator are refused with a
// ValidationException; entries of a local secondary index sharing an index
// key come in sort-key order (DynamoDB Local: insertion order); PartiQL is
// not served; TagResource, UntagResource and ListTagsOfResource are served
// as DynamoDB documents them (DynamoDB Local lacks them).
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
