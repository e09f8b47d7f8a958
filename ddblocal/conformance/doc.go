// Package conformance proves that ddbsql's embedded engine (package
// ddblocal) answers the DynamoDB API exactly as Amazon's DynamoDB Local
// does. It holds only tests: the same call sequences run against DynamoDB
// Local, the reference, and against the engine, step by step, and every
// answer is compared as the SDK receives it — the JSON document (items,
// Count, ScannedCount, LastEvaluatedKey, ConsumedCapacity, table
// descriptions) and, for errors, the HTTP status, the exception name and
// its message.
//
// Cases are Go values of the SDK's input types, written by hand for every
// operation and option (cases_*_test.go) or produced by a seeded random
// generator (random_test.go). Values that cannot be equal between two
// servers (ARNs, table IDs, timestamps) are masked; everything else must be
// identical. A difference that is genuine and justified is listed, with its
// reason, in one place (exceptions_test.go) and the README.
//
// Running it needs DynamoDB Local, which the test harness starts only in a
// private network namespace (see internal/testbackend):
//
//	go test -c -o conformance.test ./ddblocal/conformance
//	cd ddblocal/conformance && unshare -n sh -c 'ip link set lo up; DDBSQL_REQUIRE_BACKENDS=1 ../../conformance.test -test.v'
//
// Flags (after the test binary or after `go test ... -args`):
//
//	-seed N          the random sequences of seed N (default a fixed seed; 0: a new
//	                 one each run, printed for replay)
//	-long            run many more random steps
//	-candidate NAME  "engine" (default) or "dynalite", to check the harness itself
//	-findings FILE   write the differences found, one line each, as Markdown
//
// At the end the suite prints a summary: how many calls were compared, how
// many were identical, how many fell under a listed exception, and the
// differences grouped by kind.
package conformance
