package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

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
	return writeSample(ctx, client, *quiet)
}

// writeSample creates the sample tables and writes their items.
func writeSample(ctx context.Context, client *dynamodb.Client, quiet bool) error {
	sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
	err := sample.Load(ctx, sess, client, func(table string, n int) {
		if !quiet {
			fmt.Fprintf(os.Stderr, "loaded %d items into %s\n", n, table)
		}
	})
	if err != nil {
		fmt.Fprint(os.Stderr, repl.FormatError("", parser.Chunk{}, err))
		return &exitError{code: exitStatement}
	}
	return nil
}

// ensureSample loads the sample tables unless they all exist already, so
// that `ddbsql --sample` can start every session and never overwrites
// changes made to the sample items.
func ensureSample(ctx context.Context, client *dynamodb.Client, quiet bool) error {
	present, err := sample.Present(ctx, client)
	if err != nil {
		fmt.Fprint(os.Stderr, repl.FormatError("", parser.Chunk{}, err))
		return &exitError{code: exitUsage}
	}
	if present {
		return nil
	}
	return writeSample(ctx, client, quiet)
}
