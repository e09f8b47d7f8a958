package enginetest

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/ddbsql/ddbsql/internal/sample"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

func TestMain(m *testing.M) { testbackend.Main(m) }

var loaded sync.Map // backend name → error of loading the sample data

// sampleSession returns a session on b with the sample data loaded (once
// per backend and test process).
func sampleSession(t *testing.T, b testbackend.Backend) *session.Session {
	t.Helper()
	client := testbackend.Client(t, b)
	sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanWarn}})
	once, _ := loaded.LoadOrStore(b.Name, &sync.Once{})
	var err error
	errKey := b.Name + "/err"
	once.(*sync.Once).Do(func() {
		err = sample.Load(context.Background(), sess, client, nil)
		if err != nil {
			loaded.Store(errKey, err)
		}
	})
	if e, ok := loaded.Load(errKey); ok {
		t.Fatalf("loading the sample data into %s: %v", b.Name, e)
	}
	return sess
}

// TestEngine runs testdata/engine/*.txt against every backend.
//
// Commands:
//
//	sql [sorted]       run the statements; rows sorted when the order is not defined
//	sql session=NAME   run them in another session of the file (e.g. to look from outside a transaction)
//	sql needs=(transactions,ttl,partiql,index-updates)   skip on backends without these
//	set name=value     change a session setting (it lasts: reset it at the end of the file)
//
// A capability skip ends the file on that backend, so such cases live in
// files of their own.
func TestEngine(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sess := sampleSession(t, b)
		datadriven.Walk(t, "../testdata/engine", func(t *testing.T, path string) {
			others := map[string]*session.Session{}
			defer func() {
				// A file that fails inside a transaction must not leave it
				// open for the next file.
				if sess.InTransaction() {
					t.Errorf("%s ends inside a transaction", path)
					RunScript(context.Background(), sess, "ROLLBACK", false)
				}
			}()
			datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
				sorted := false
				sess := sess
				for _, a := range d.CmdArgs {
					switch a.Key {
					case "sorted":
						sorted = true
					case "session":
						name := strings.Join(a.Vals, ",")
						if others[name] == nil {
							others[name] = session.New(testbackend.Client(t, b), session.Config{Planner: planner.Options{ScanPolicy: planner.ScanWarn}})
						}
						sess = others[name]
					case "needs":
						var caps testbackend.Capabilities
						for _, v := range a.Vals {
							switch strings.ToLower(v) {
							case "transactions":
								caps.Transactions = true
							case "ttl":
								caps.TTL = true
							case "partiql":
								caps.PartiQL = true
							case "index-updates":
								caps.IndexUpdates = true
							}
						}
						b.Require(t, caps)
					}
				}
				switch d.Cmd {
				case "sql":
					return RunScript(context.Background(), sess, d.Input, sorted)
				case "set":
					for _, a := range d.CmdArgs {
						if err := sess.Set(a.Key, strings.Join(a.Vals, ",")); err != nil {
							return errorLine(err) + "\n"
						}
					}
					return "SET\n"
				}
				t.Fatalf("unknown command %q", d.Cmd)
				return ""
			})
		})
	})
}
