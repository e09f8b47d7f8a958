package testbackend

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
)

// Capabilities are the optional DynamoDB features a test may need. A backend
// without one of them answers such calls with an error (dynalite: an
// UnknownOperation), so a test declares what it needs with [Backend.Require].
type Capabilities struct {
	Transactions bool // TransactWriteItems and TransactGetItems
	TTL          bool // UpdateTimeToLive (dynalite only answers DescribeTimeToLive: DISABLED)
	PartiQL      bool // ExecuteStatement, BatchExecuteStatement, ExecuteTransaction
	IndexUpdates bool // UpdateTable adding or deleting a GSI (dynalite accepts and ignores it)
}

// Backend is a running DynamoDB-compatible server that tests may use.
type Backend struct {
	Name     string // "dynamodb-local", "dynalite" or "ddblocal"
	Endpoint string // base URL, e.g. http://127.0.0.1:43127
	Caps     Capabilities
}

// Backend names, as used in DDBSQL_TEST_BACKENDS.
const (
	DynamoDBLocal = "dynamodb-local"
	Dynalite      = "dynalite"
	// Engine is ddbsql's embedded engine (package ddblocal), served by
	// `ddbsql local` in a process of its own, as a user would run it.
	Engine = "ddblocal"
)

// kind describes how to find and start one backend.
type kind struct {
	caps Capabilities
	// needsPrivateNetwork is set for servers that cannot bind loopback only.
	needsPrivateNetwork bool
	// command returns the server's command line for the given port, or a
	// setup problem (package not installed, runtime missing).
	command func(root string, port int) ([]string, *unavailable)
}

var kinds = map[string]kind{
	DynamoDBLocal: {
		caps:                Capabilities{Transactions: true, TTL: true, PartiQL: true, IndexUpdates: true},
		needsPrivateNetwork: true,
		command:             dynamoDBLocalCommand,
	},
	Dynalite: {
		caps:    Capabilities{},
		command: dynaliteCommand,
	},
	Engine: {
		caps:    Capabilities{Transactions: true, TTL: true, IndexUpdates: true},
		command: engineCommand,
	},
}

// unavailable says why a backend cannot be used. A setup problem (not in a
// private network namespace, npm packages not installed) skips the test
// unless DDBSQL_REQUIRE_BACKENDS=1; a broken server always fails it.
type unavailable struct {
	reason string
	broken bool
}

// report skips or fails t because of u.
func (u *unavailable) report(t testing.TB) {
	t.Helper()
	if u.broken || requireBackends() {
		t.Fatal(u.reason)
	}
	t.Skip(u.reason)
}

// resolved is the outcome of making one backend available, computed once per
// process.
type resolved struct {
	once    sync.Once
	backend Backend
	problem *unavailable
}

var resolutions = func() map[string]*resolved {
	m := make(map[string]*resolved, len(kinds))
	for name := range kinds {
		m[name] = new(resolved)
	}
	return m
}()

// resolve returns the backend called name, starting its server on first use.
func resolve(name string) (Backend, *unavailable) {
	r := resolutions[name]
	r.once.Do(func() { r.backend, r.problem = provide(name, kinds[name]) })
	return r.backend, r.problem
}

// provide finds or starts the server of one backend.
func provide(name string, k kind) (Backend, *unavailable) {
	b := Backend{Name: name, Caps: k.caps}
	if ep := endpointOverride(name); ep != "" {
		b.Endpoint = ep
		return b, nil
	}
	if !mainActive.Load() {
		return b, &unavailable{broken: true, reason: fmt.Sprintf(
			"testbackend: %s: declare `func TestMain(m *testing.M) { testbackend.Main(m) }` in this package, so that the servers the tests start are stopped",
			name)}
	}
	if k.needsPrivateNetwork {
		if ok, why := inPrivateNetwork(); !ok {
			return b, &unavailable{reason: fmt.Sprintf(
				"%s not started: %s; DynamoDB Local cannot listen on loopback only, so it runs only in a private network namespace: run the tests through the project's test command, ./scripts/test.sh (or make test), or set %s to a running server",
				name, why, endpointVar(name))}
		}
	}
	root, err := repoRoot()
	if err != nil {
		return b, &unavailable{broken: true, reason: fmt.Sprintf("%s not started: %v", name, err)}
	}
	ep, problem := startServer(name, root, k)
	if problem != nil {
		return b, problem
	}
	b.Endpoint = ep
	return b, nil
}

// Get returns the backend called name, starting its server if needed. It
// skips t when the backend is not selected by DDBSQL_TEST_BACKENDS or cannot
// be started here (and fails t instead under DDBSQL_REQUIRE_BACKENDS=1).
func Get(t testing.TB, name string) Backend {
	t.Helper()
	if _, ok := kinds[name]; !ok {
		t.Fatalf("testbackend: unknown backend %q (known: %s)", name, knownNames())
	}
	names, err := selected()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(names, name) {
		t.Skipf("%s not selected by %s=%s", name, envBackends, strings.Join(names, ","))
	}
	b, problem := resolve(name)
	if problem != nil {
		problem.report(t)
	}
	return b
}

// All returns every selected backend that is available, starting servers as
// needed. A backend that cannot be started here is left out with a log line,
// or fails t under DDBSQL_REQUIRE_BACKENDS=1; when none is left, t is skipped.
// [Each] is usually more convenient, as it reports every backend separately.
func All(t testing.TB) []Backend {
	t.Helper()
	names, err := selected()
	if err != nil {
		t.Fatal(err)
	}
	var backends []Backend
	var reasons []string
	for _, name := range names {
		b, problem := resolve(name)
		if problem == nil {
			backends = append(backends, b)
			continue
		}
		if problem.broken || requireBackends() {
			t.Fatal(problem.reason)
		}
		reasons = append(reasons, problem.reason)
	}
	if len(backends) == 0 {
		t.Skip(strings.Join(reasons, "\n"))
	}
	for _, r := range reasons {
		t.Log("skipped: " + r)
	}
	return backends
}

// Each runs fn as a subtest named after each selected backend. A backend that
// cannot be started here skips (or fails) its own subtest only.
func Each(t *testing.T, fn func(t *testing.T, b Backend)) {
	t.Helper()
	names, err := selected()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			fn(t, Get(t, name))
		})
	}
}

// Require skips t, naming what is missing, unless b has every capability
// that is set in caps.
func (b Backend) Require(t testing.TB, caps Capabilities) {
	t.Helper()
	var missing []string
	if caps.Transactions && !b.Caps.Transactions {
		missing = append(missing, "transactions")
	}
	if caps.TTL && !b.Caps.TTL {
		missing = append(missing, "TTL")
	}
	if caps.PartiQL && !b.Caps.PartiQL {
		missing = append(missing, "PartiQL")
	}
	if caps.IndexUpdates && !b.Caps.IndexUpdates {
		missing = append(missing, "index updates")
	}
	if len(missing) > 0 {
		t.Skipf("%s does not support %s", b.Name, strings.Join(missing, ", "))
	}
}
