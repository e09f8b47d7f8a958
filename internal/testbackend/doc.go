// Package testbackend gives integration tests real DynamoDB-compatible servers.
//
// Three backends are known: DynamoDB Local ("dynamodb-local"), Amazon's own
// emulator and the reference for behaviour; dynalite ("dynalite"), a
// smaller Node.js implementation without transactions, TTL or PartiQL; and
// ddbsql's embedded engine ("ddblocal"), served by `ddbsql local` in a
// process of its own (no PartiQL). The first two come from the npm packages
// pinned in the repository's package.json; the engine is the ddbsql binary
// named by DDBSQL_BIN, else one built from the repository once per test
// binary. The project's test command (scripts/test.sh, or `make test`)
// installs the packages, builds the binary and runs `go test` inside a
// private network namespace.
//
// Servers are started lazily, once per test binary, on free loopback ports,
// and stopped by [Main] when the tests are done. A package that uses the
// harness declares:
//
//	func TestMain(m *testing.M) { testbackend.Main(m) }
//
// and runs each test against every selected backend:
//
//	func TestPutGet(t *testing.T) {
//		testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
//			b.Require(t, testbackend.Capabilities{Transactions: true})
//			client := testbackend.Client(t, b)
//			table := testbackend.TableName(t, "Users")
//			// ... CreateTable, PutItem, GetItem through client ...
//		})
//	}
//
// A test that lacks a capability is skipped with the reason, and so is a
// backend that cannot be started here, unless DDBSQL_REQUIRE_BACKENDS=1 (set
// by the test command), which turns a missing backend into a failure.
//
// # Environment
//
//   - DDBSQL_TEST_BACKENDS: comma-separated backend names to test against;
//     default "dynamodb-local,dynalite,ddblocal".
//   - DDBSQL_BIN: the ddbsql binary the engine backend runs.
//   - DDBSQL_TEST_ENDPOINT_<NAME>, e.g. DDBSQL_TEST_ENDPOINT_DYNAMODB_LOCAL=
//     http://127.0.0.1:8000: use a server that is already running instead of
//     starting one. NAME is the backend name in upper case with '-' as '_'.
//   - DDBSQL_REQUIRE_BACKENDS=1: a backend that cannot be started fails the
//     test instead of skipping it.
//
// # Why DynamoDB Local runs only in a private network namespace
//
// DynamoDB Local has no option to listen on loopback only. The harness
// therefore starts it only when the process is in a network namespace whose
// only interface is "lo", as `unshare -n` (or `unshare -rn`) followed by
// `ip link set lo up` creates. The interfaces are read from the kernel over
// netlink (the same list `ip link` prints) rather than from /sys/class/net:
// sysfs shows the interfaces of the namespace that mounted it, so inside
// `unshare -n` without a fresh sysfs mount /sys/class/net still lists the
// host's interfaces. dynalite and the engine bind 127.0.0.1 and may start
// anywhere.
package testbackend
