package repl

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/ddblocal"
	"github.com/ddbsql/ddbsql/session"
)

// engineScript returns a Script over a session on a fresh embedded engine.
func engineScript(t *testing.T) (*Script, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	db, err := ddblocal.Open(t.TempDir(), ddblocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	client := dynamodb.New(dynamodb.Options{HTTPClient: db.HTTPClient(), BaseEndpoint: aws.String("http://ddblocal"),
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("x", "x", "")})
	var out, errb bytes.Buffer
	return &Script{Session: session.New(client, session.Config{}), Out: &out, Err: &errb, Format: "csv"}, &out, &errb
}

// TestScriptCopyFromStdin runs COPY ... FROM STDIN in a script: the data
// follows the statement up to \. (or the end of the script), is never run
// as SQL or meta-commands, and the statements after it run.
func TestScriptCopyFromStdin(t *testing.T) {
	s, out, errb := engineScript(t)
	script := `CREATE TABLE notes (pk TEXT PRIMARY KEY);
COPY notes (pk, n, note) FROM STDIN;
a	1	first\tline
\N	2	never read: \N key
`
	// The second data line has no key: the import stops there.
	err := s.Run(context.Background(), "load.sql", script)
	if !errors.Is(err, ErrStatementFailed) {
		t.Fatalf("Run: %v, want a failed statement", err)
	}
	if !strings.Contains(errb.String(), `load.sql:2: ERROR:  COPY from STDIN, line 2: the item has no key attribute "pk"`) {
		t.Errorf("stderr:\n%s", errb.String())
	}
	out.Reset()
	errb.Reset()
	script = `COPY notes (pk, n, note) FROM STDIN; -- text, tab-separated
b	2	x\\y
c	\N	
\.
\set n 3
COPY notes FROM STDIN (FORMAT csv, HEADER true);
pk,n:S,note
d,:n,"comma, quoted"
\.
SELECT pk, n, note FROM notes WHERE pk IN ('a', 'b', 'c', 'd') ORDER BY pk;
COPY notes FROM STDIN (FORMAT jsonl)
;
{"pk": "e", "n": 5}
`
	if err := s.Run(context.Background(), "load.sql", script); err != nil {
		t.Fatalf("Run: %v\nstderr:\n%s", err, errb.String())
	}
	// Data lines keep :n as written: variables apply to SQL only.
	want := "pk,n,note\na,1,first\tline\nb,2,x\\y\nc,,\nd,:n,\"comma, quoted\"\n"
	if got := out.String(); got != want {
		t.Errorf("stdout:\n got %q\nwant %q", got, want)
	}
	out.Reset()
	if err := s.Run(context.Background(), "-c", "SELECT pk, n FROM notes WHERE pk = 'e'"); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "pk,n\ne,5\n" {
		t.Errorf("the jsonl import after the end of the script: %q", got)
	}
}
