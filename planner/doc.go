// Package planner turns a parsed statement into a physical plan: the
// DynamoDB calls to make and the work the executor does on their results.
// It reads table metadata through a catalog.Catalog and never calls
// DynamoDB itself, so plans are pure functions of (statement, metadata,
// settings) and are tested with golden files (testdata/planner).
//
// Every read goes through one AccessPath — GetItem, BatchGetItem, Query
// (table, GSI or LSI) or Scan — chosen from the WHERE clause: full-key
// equality, IN lists of keys, = or IN on a partition key (with the best
// sort-key condition pushed into the KeyConditionExpression), else a
// parallel scan subject to scan_policy. Conditions DynamoDB can evaluate go
// into the FilterExpression through #name/:value placeholders; the rest
// stay in a Filter node. Every node describes itself (Describe), which is
// what EXPLAIN prints.
//
// Example:
//
//	stmt, _ := parser.ParseOne(`SELECT * FROM Orders WHERE customerId = 'u001' AND orderId > 'o0100'`)
//	plan, _ := planner.New(cat, planner.Options{}).Plan(ctx, stmt)
//	fmt.Print(plan.Root.Describe().Text())
//	// Query
//	//   table: Orders
//	//   partition values: 'u001'
//	//   key condition: #n0 = :pk AND #n1 > :v0
//	//   ...
package planner
