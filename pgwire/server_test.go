package pgwire

import (
	"context"
	"io"
	"log/slog"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/executor"
	sampledata "github.com/ddbsql/ddbsql/internal/sample"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

func TestMain(m *testing.M) { testbackend.Main(m) }

// sampleLoads remembers, per backend endpoint, loading the sample data
// once per test process.
var sampleLoads sync.Map // endpoint → *sampleLoad

type sampleLoad struct {
	once sync.Once
	err  error
}

// sampleClient returns a client for b with the sample tables loaded.
func sampleClient(t testing.TB, b testbackend.Backend) *dynamodb.Client {
	t.Helper()
	client := testbackend.Client(t, b)
	v, _ := sampleLoads.LoadOrStore(b.Endpoint, new(sampleLoad))
	l := v.(*sampleLoad)
	l.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		l.err = sampledata.Load(ctx, session.New(client, session.Config{}), client, nil)
	})
	if l.err != nil {
		t.Fatalf("loading the sample data: %v", l.err)
	}
	return client
}

// testLogger logs to t at debug level.
func testLogger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(string(b))
	return len(b), nil
}

// startServer serves api on a fresh loopback port until the test ends and
// returns the address. mod may adjust the configuration.
func startServer(t testing.TB, api executor.DynamoDB, mod func(*Config)) (string, *Server) {
	t.Helper()
	cfg := Config{
		NewSession: func(user, database string) *session.Session {
			return session.New(api, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanWarn}, User: user, Database: database})
		},
		API:    api,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	if testing.Verbose() {
		cfg.Logger = testLogger(t)
	}
	if mod != nil {
		mod(&cfg)
	}
	srv, err := NewServer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-done; err != ErrServerClosed {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return l.Addr().String(), srv
}
