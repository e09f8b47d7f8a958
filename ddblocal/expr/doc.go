// Package expr implements DynamoDB's expression language for ddbsql's
// embedded DynamoDB-compatible engine: condition and filter expressions, key
// condition expressions, projection expressions and update expressions.
//
// Each expression is parsed by a hand-written tokenizer and recursive-descent
// parser, then checked in one left-to-right pass that resolves #name and
// :value placeholders, so that the first problem found is the one DynamoDB
// reports, in DynamoDB's words. Amazon's DynamoDB Local is the reference for
// every message and every evaluation rule; the package's reference test runs
// the same expressions through both.
//
// A typical conditional write:
//
//	used := expr.NewUsed()
//	cond, err := expr.ParseCondition("attribute_not_exists(#k) OR #v < :max",
//		"ConditionExpression", attrs, used)
//	if err != nil { return err } // *expr.Error: a ValidationException
//	upd, err := expr.ParseUpdate("SET #v = #v + :one", attrs, used)
//	if err != nil { return err }
//	if err := used.CheckUnused(attrs); err != nil { return err }
//	ok, err := cond.Eval(old)
//	...
//	newItem, err := upd.Apply(old)
package expr
