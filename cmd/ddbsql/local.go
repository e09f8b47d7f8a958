package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/ddbsql/ddbsql/ddblocal"
)

// defaultLocalListen is where `ddbsql local` serves when --listen is not
// given: DynamoDB Local's usual port, on loopback only, because the engine
// checks no signatures.
const defaultLocalListen = "127.0.0.1:8000"

// runLocal serves ddbsql's embedded DynamoDB-compatible engine over HTTP
// until interrupted.
func runLocal(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ddbsql local", flag.ContinueOnError)
	listen := fs.String("listen", defaultLocalListen, "`address` to serve the DynamoDB API on")
	dataDir := fs.String("data-dir", "", "`directory` holding the tables (default $XDG_DATA_HOME/ddbsql or ~/.local/share/ddbsql)")
	noSync := fs.Bool("no-sync", false, "do not fsync writes: faster, for tests and throwaway data; a machine crash can lose or corrupt data")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: ddbsql local [flags]\n\nServes a DynamoDB-compatible API from a local data directory, for any SDK,\nthe AWS CLI or ddbsql itself (--endpoint-url http://127.0.0.1:8000).\nRequests are not authenticated: keep it on a loopback address.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: exitUsage, err: errors.New("")}
	}
	if fs.NArg() > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("local: unexpected argument %q", fs.Arg(0))}
	}
	dir := *dataDir
	if dir == "" {
		var err error
		if dir, err = defaultDataDir(); err != nil {
			return &exitError{code: exitUsage, err: err}
		}
	}
	db, err := ddblocal.Open(dir, ddblocal.Options{NoSync: *noSync})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	defer db.Close()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	srv := &http.Server{Handler: db.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(os.Stderr, "ddbsql local: serving the DynamoDB API on http://%s from %s\n", ln.Addr(), dir)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	return nil
}

// defaultDataDir is $XDG_DATA_HOME/ddbsql, else ~/.local/share/ddbsql.
func defaultDataDir() (string, error) {
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "ddbsql"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("local: no --data-dir and no home directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "ddbsql"), nil
}
