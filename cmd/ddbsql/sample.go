package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/ddbsql/ddbsql/internal/sample"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/repl"
	"github.com/ddbsql/ddbsql/session"
)

// runSample creates the sample tables and loads their items.
func runSample(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ddbsql sample", flag.ContinueOnError)
	var conn connFlags
	conn.register(fs)
	quiet := fs.Bool("q", false, "quiet")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: ddbsql sample [flags]\n\nCreates the sample tables (Users, Orders, GameLeaderboards, IoTSensorData,\nSessions, Products) if they do not exist and writes their items.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: exitUsage, err: errors.New("")}
	}
	client, err := conn.client(ctx)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
	err = sample.Load(ctx, sess, client, func(table string, n int) {
		if !*quiet {
			fmt.Fprintf(os.Stderr, "loaded %d items into %s\n", n, table)
		}
	})
	if err != nil {
		fmt.Fprint(os.Stderr, repl.FormatError("", parser.Chunk{}, err))
		return &exitError{code: exitStatement}
	}
	return nil
}
