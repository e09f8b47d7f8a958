// Package executor runs plans made by the planner against DynamoDB through
// the narrow DynamoDB interface (*dynamodb.Client in production, a
// recording fake in tests).
//
// Reads dispatch on planner.AccessPath in one switch (read.go) and stream:
// rows are pulled through RowIter chains (Filter, Project, Sort, Limit,
// Distinct, Aggregate), pages are fetched only when the consumer needs
// them, and parallel reads (scan segments, IN queries, batch chunks) run a
// bounded number of workers. Close stops every in-flight call. Writes and
// DDL run one call (or one wait) each. DynamoDB exceptions are mapped to
// SQLSTATE in one table (errors.go).
//
// Example:
//
//	ex := executor.New(client, executor.Options{})
//	res, err := ex.Run(ctx, plan, nil)
//	if err != nil { ... }
//	defer res.Rows.Close()
//	for {
//		row, err := res.Rows.Next()
//		if err == io.EOF {
//			break
//		}
//		...
//	}
package executor
