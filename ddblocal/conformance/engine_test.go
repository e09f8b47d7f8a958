package conformance

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/ddbsql/ddbsql/ddblocal"
)

// The engine is the candidate by default: a fresh database in a temporary
// directory per case, reached in process through its HTTP client.
func init() {
	candidates["engine"] = func(t *testing.T) *target {
		return newTarget("engine", "http://ddblocal", openEngine(t).HTTPClient())
	}
}

func openEngine(t *testing.T) *ddblocal.DB {
	t.Helper()
	db, err := ddblocal.Open(t.TempDir(), ddblocal.Options{})
	if err != nil {
		t.Fatalf("ddblocal.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("ddblocal Close: %v", err)
		}
	})
	return db
}

// TestConformanceOverHTTP runs the item and query cases against the engine
// served by its http.Handler on a real loopback server, as a client
// outside the process would reach it, to show the wire path answers as the
// in-process client does.
func TestConformanceOverHTTP(t *testing.T) {
	ref := reference(t)
	summary := newReport("engine over HTTP")
	t.Cleanup(func() { fmt.Print(summary.String()) })
	for _, g := range groups() {
		if g.name != "items" && g.name != "query" {
			continue
		}
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					srv := httptest.NewServer(openEngine(t).Handler())
					t.Cleanup(srv.Close)
					cand := newTarget("engine over HTTP", srv.URL, loopbackHTTPClient())
					pair{ref: ref, cand: cand, report: summary}.runCase(t, c)
				})
			}
		})
	}
}
