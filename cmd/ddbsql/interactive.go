package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/chzyer/readline"

	"github.com/ddbsql/ddbsql/repl"
)

// runShell runs the interactive shell on the terminal.
func runShell(ctx context.Context, script *repl.Script) error {
	// Ctrl-C cancels the running statement, not the shell: the shell gets
	// SIGINT on its own channel, and its context ends only on SIGTERM or
	// SIGHUP.
	interrupt := make(chan os.Signal, 1)
	signal.Notify(interrupt, os.Interrupt)
	defer signal.Stop(interrupt)
	ctx, stop := signal.NotifyContext(context.WithoutCancel(ctx), syscall.SIGTERM, syscall.SIGHUP)
	defer stop()

	if isTerminal(os.Stdout) {
		script.Terminal = &repl.Terminal{Size: terminalSize, Pager: pager()}
	}
	sh := &repl.Shell{
		Script:      script,
		Banner:      fmt.Sprintf("ddbsql %s, %s\nType \\? for help, \\h for SQL syntax, \\q to quit.", version, script.ConnInfo),
		HistoryFile: historyFile(),
		Interrupt:   interrupt,
		Editor:      editor(),
	}
	if err := sh.Run(ctx); err != nil && !errors.Is(err, repl.ErrQuit) {
		return &exitError{code: exitStatement, err: err}
	}
	return nil
}

// historyFile is $DDBSQL_HISTORY, else ~/.ddbsql_history ("" when there is
// no home directory).
func historyFile() string {
	if p, ok := os.LookupEnv("DDBSQL_HISTORY"); ok {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	return filepath.Join(home, ".ddbsql_history")
}

// editor is $EDITOR, else $VISUAL, else vi (as psql, for \e).
func editor() string {
	for _, name := range []string{"EDITOR", "VISUAL"} {
		if e := os.Getenv(name); e != "" {
			return e
		}
	}
	return "vi"
}

// pager is $PAGER (empty: none), else "less -S" when less is installed.
func pager() string {
	if p, ok := os.LookupEnv("PAGER"); ok {
		return p
	}
	if _, err := exec.LookPath("less"); err == nil {
		return "less -S"
	}
	return ""
}

func terminalSize() (width, height int) {
	w, h, err := readline.GetSize(int(os.Stdout.Fd()))
	if err != nil {
		return 0, 0
	}
	return w, h
}

// describe says what the client talks to, for the banner and \conninfo.
func (c *connFlags) describe(client *dynamodb.Client) string {
	if c.engineDir != "" {
		return "connected to the embedded engine in " + c.engineDir
	}
	o := client.Options()
	endpoint := aws.ToString(o.BaseEndpoint)
	if endpoint == "" {
		endpoint = "AWS DynamoDB"
	}
	s := fmt.Sprintf("connected to %s (region %s", endpoint, o.Region)
	if c.profile != "" {
		s += ", profile " + c.profile
	}
	return s + ")"
}
