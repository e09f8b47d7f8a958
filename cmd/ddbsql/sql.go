package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/format"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/repl"
	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

const sqlUsage = `Usage: ddbsql [flags] [-c SQL]... [-f FILE]...
       ddbsql sample [flags]      create the sample tables and load their data
       ddbsql migrate ACTION      versioned migrations: up, status, new NAME, down
                                  (ddbsql migrate --help)
       ddbsql local [flags]       serve the embedded engine over the DynamoDB API
       ddbsql serve [flags]       serve SQL over the Postgres wire protocol
       ddbsql passwd [flags] USER add a user to the users file of serve
       ddbsql version

Runs SQL against Amazon DynamoDB, any DynamoDB-compatible endpoint, or, when
no endpoint, region or profile is configured, ddbsql's embedded engine
(a DynamoDB-compatible database in $XDG_DATA_HOME/ddbsql; --local DIR picks
another directory).
SQL comes from -c (repeatable), -f (repeatable), in that order, else from
standard input. Statements are separated by ';'. Lines starting with a
backslash are meta-commands (\? lists them). With a terminal on standard
input and neither -c nor -f, ddbsql is interactive: line editing, history
($DDBSQL_HISTORY, default ~/.ddbsql_history), tab completion, Ctrl-C cancels
the running statement, Ctrl-D or \q quits.

Variables: -v NAME=VALUE or \set NAME VALUE; :NAME, :'NAME' (quoted string)
and :"NAME" (quoted name) are replaced in SQL.

Exit status: 0 success (also after \q); 1 a statement failed (the first
failure stops a script unless --continue-on-error); 2 bad usage or no
connection; 3 interrupted.

Flags:
`

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, "; ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func runSQL(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("ddbsql", flag.ContinueOnError)
	var (
		conn            connFlags
		commands, files stringList
		vars            stringList
		formatName      = fs.String("format", "table", "output format: "+strings.Join(format.Names(), ", "))
		scanPolicy      = fs.String("scan-policy", "warn", "what a statement without a key condition does: allow, warn or deny")
		segments        = fs.Int("segments", 0, "parallel scan segments (0: chosen from the table size)")
		consistent      = fs.Bool("consistent-read", false, "strongly consistent reads (table and local indexes)")
		quiet           = fs.Bool("q", false, "quiet: no command tags or informational lines")
		continueOnError = fs.Bool("continue-on-error", false, "run the remaining statements after a failure (exit status still 1)")
		echo            = fs.Bool("echo", false, "print each statement before running it")
		loadSample      = fs.Bool("sample", false, "create and load the sample tables first, unless they all exist (see ddbsql sample)")
	)
	conn.register(fs)
	fs.Var(&commands, "c", "run this SQL (repeatable)")
	fs.Var(&files, "f", "run the SQL in this file (repeatable; - is standard input)")
	fs.Var(&vars, "v", "set variable NAME=VALUE (repeatable), used as :NAME, :'NAME', :\"NAME\"")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), sqlUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: exitUsage, err: errors.New("")}
	}
	if fs.NArg() > 0 {
		return &exitError{code: exitUsage, err: fmt.Errorf("unexpected argument %q (SQL goes in -c or -f)", fs.Arg(0))}
	}
	if _, err := format.New(*formatName, io.Discard, format.Options{}); err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	variables := map[string]string{}
	for _, v := range vars {
		name, value, ok := strings.Cut(v, "=")
		if !ok || name == "" {
			return &exitError{code: exitUsage, err: fmt.Errorf("-v %q: want NAME=VALUE", v)}
		}
		variables[name] = value
	}
	interactive := len(commands) == 0 && len(files) == 0 && isTerminal(os.Stdin)
	policy, err := planner.ParseScanPolicy(*scanPolicy)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}

	client, err := conn.client(ctx)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if *loadSample {
		if err := ensureSample(ctx, client, *quiet); err != nil {
			return err
		}
	}
	cfg := session.Config{Planner: planner.Options{ScanPolicy: policy, Segments: *segments, ConsistentRead: *consistent}}
	var progress *repl.ProgressLine
	// A live progress line on a terminal, unless streamed rows go to the
	// same terminal (the table format prints only when a result is complete).
	// (The interactive shell renders results in memory before showing them.)
	if isTerminal(os.Stderr) && !*quiet && (!isTerminal(os.Stdout) || *formatName == "table" || interactive) {
		progress = repl.NewProgressLine(os.Stderr)
		cfg.Executor.OnProgress = progress.Update
	}
	newSession := func(client *dynamodb.Client) *session.Session {
		sess := session.New(client, cfg)
		sess.OnNotice = func(msg string) {
			if !*quiet {
				fmt.Fprintln(os.Stderr, "WARNING: ", msg)
			}
		}
		return sess
	}
	script := &repl.Script{Session: newSession(client), Out: os.Stdout, Err: os.Stderr, Format: *formatName, FormatOptions: format.NewOptions(),
		Quiet: *quiet, ContinueOnError: *continueOnError, Echo: *echo, Progress: progress, Vars: variables,
		ConnInfo:   conn.describe(client),
		Connection: repl.Connection{Endpoint: conn.endpoint, Region: conn.region, Profile: conn.profile},
		Connect: func(ctx context.Context, to repl.Connection) (*session.Session, string, error) {
			c := connFlags{endpoint: to.Endpoint, region: to.Region, profile: to.Profile}
			client, err := c.connect(ctx)
			if err != nil {
				return nil, "", err
			}
			return newSession(client), c.describe(client), nil
		}}
	defer script.Close()
	if interactive {
		return runShell(ctx, script)
	}

	// A -c command's COPY ... FROM STDIN reads standard input, unless a
	// script is read from there.
	if len(commands) > 0 && !slices.Contains(files, "-") {
		script.Stdin = os.Stdin
	}
	type source struct{ name, text string }
	var sources []source
	for _, c := range commands {
		sources = append(sources, source{"-c", c})
	}
	for _, f := range files {
		var data []byte
		if f == "-" {
			data, err = io.ReadAll(os.Stdin)
		} else {
			data, err = os.ReadFile(f)
		}
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		sources = append(sources, source{f, string(data)})
	}
	if len(sources) == 0 {
		data, err := io.ReadAll(os.Stdin)
		if err != nil {
			return &exitError{code: exitUsage, err: err}
		}
		sources = append(sources, source{"stdin", string(data)})
	}
	failed := false
	for _, src := range sources {
		err := script.Run(ctx, src.name, src.text)
		switch {
		case err == nil:
		case errors.Is(err, repl.ErrQuit):
			if failed || errors.Is(err, repl.ErrStatementFailed) {
				return &exitError{code: exitStatement}
			}
			return nil
		case errors.Is(err, repl.ErrStatementFailed):
			failed = true
			if !*continueOnError {
				return &exitError{code: exitStatement}
			}
		case sqlerr.Code(err) == sqlerr.QueryCanceled:
			return &exitError{code: exitCanceled, err: errors.New("interrupted")}
		default:
			return &exitError{code: exitStatement, err: err}
		}
	}
	if failed {
		return &exitError{code: exitStatement}
	}
	return nil
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
