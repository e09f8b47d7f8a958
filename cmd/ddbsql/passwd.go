package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/ddbsql/ddbsql/pgwire"
)

const passwdUsage = `Usage: ddbsql passwd [--users FILE] [--md5] USER

Sets USER's password in the users file of ddbsql serve (created if
missing, mode 0600). The file keeps only SCRAM-SHA-256 verifiers, never the
password. The password is asked twice on a terminal, or read as one line
from standard input otherwise.

Flags:
`

func runPasswd(args []string) error {
	fs := flag.NewFlagSet("ddbsql passwd", flag.ContinueOnError)
	usersFile := fs.String("users", "ddbsql-users", "users file")
	withMD5 := fs.Bool("md5", false, "also store the md5 hash, for clients of --auth md5 (weaker than SCRAM)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), passwdUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: exitUsage, err: errors.New("")}
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return &exitError{code: exitUsage, err: errors.New("want exactly one USER")}
	}
	user := fs.Arg(0)
	password, err := readNewPassword(user)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	if err := pgwire.SetPassword(*usersFile, user, password, *withMD5); err != nil {
		return &exitError{code: exitStatement, err: err}
	}
	fmt.Fprintf(os.Stderr, "password of %s set in %s\n", user, *usersFile)
	return nil
}

// readNewPassword asks twice, without echo, on a terminal; otherwise it
// reads one line from standard input.
func readNewPassword(user string) (string, error) {
	if !isTerminal(os.Stdin) {
		line, err := bufio.NewReader(os.Stdin).ReadString('\n')
		if err != nil && !(errors.Is(err, io.EOF) && line != "") {
			return "", errors.New("no password on standard input")
		}
		return checkPassword(strings.TrimRight(line, "\r\n"))
	}
	first, err := promptNoEcho(fmt.Sprintf("New password for %s: ", user))
	if err != nil {
		return "", err
	}
	second, err := promptNoEcho("Enter it again: ")
	if err != nil {
		return "", err
	}
	if first != second {
		return "", errors.New("passwords do not match")
	}
	return checkPassword(first)
}

func checkPassword(p string) (string, error) {
	if p == "" {
		return "", errors.New("empty password")
	}
	return p, nil
}

// promptNoEcho reads a line from the terminal with echo turned off (by
// stty, which every Unix has, so no terminal library is needed).
func promptNoEcho(prompt string) (string, error) {
	fmt.Fprint(os.Stderr, prompt)
	if err := stty("-echo"); err != nil {
		return "", fmt.Errorf("cannot turn off echo: %w", err)
	}
	line, err := bufio.NewReader(os.Stdin).ReadString('\n')
	_ = stty("echo")
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func stty(arg string) error {
	cmd := exec.Command("stty", arg)
	cmd.Stdin = os.Stdin
	return cmd.Run()
}
