// Command ddbsql is a SQL shell for Amazon DynamoDB.
//
// main only picks the subcommand; each subcommand lives in its own file with
// its own flag set and a Run(ctx, args) function.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// exitError carries an exit status out of a subcommand.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// Exit statuses (documented in usage and the README).
const (
	exitOK        = 0
	exitStatement = 1 // a statement failed
	exitUsage     = 2 // bad flags or arguments, or cannot connect
	exitCanceled  = 3 // interrupted
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:])
	stop()
	if err == nil {
		os.Exit(exitOK)
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil && ee.err.Error() != "" {
			fmt.Fprintln(os.Stderr, "ddbsql:", ee.err)
		}
		os.Exit(ee.code)
	}
	fmt.Fprintln(os.Stderr, "ddbsql:", err)
	os.Exit(exitStatement)
}

func run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "sample":
			return runSample(ctx, args[1:])
		case "migrate":
			return runMigrate(ctx, args[1:])
		case "local":
			return runLocal(ctx, args[1:])
		case "serve":
			return runServe(ctx, args[1:])
		case "passwd":
			return runPasswd(args[1:])
		case "version", "--version":
			fmt.Println("ddbsql", version)
			return nil
		case "help":
			return runSQL(ctx, []string{"--help"})
		}
	}
	return runSQL(ctx, args)
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"
