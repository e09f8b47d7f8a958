package pgwire

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/cockroachdb/datadriven"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestTranscripts runs the wire transcripts of testdata/pgwire: frontend
// messages sent, backend messages expected, each as JSON. Each file gets a
// fresh connection (trust authentication, user "alice") to a server over
// the sample data. Commands:
//
//	send              one frontend message per line: Type {JSON fields}
//	until             read backend messages until those named (one per
//	                  line, usually ReadyForQuery) have arrived, in order
//
// Rewrite the expectations with go test ./pgwire -run TestTranscripts -rewrite.
func TestTranscripts(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		client := sampleClient(t, b)
		addr, _ := startServer(t, client, nil)
		datadriven.Walk(t, "testdata/pgwire", func(t *testing.T, path string) {
			fe := dialStartup(t, addr, map[string]string{"user": "alice", "database": "ddbsql"})
			datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
				switch d.Cmd {
				case "send":
					for _, line := range strings.Split(strings.TrimSpace(d.Input), "\n") {
						msg, err := frontendMessage(line)
						if err != nil {
							d.Fatalf(t, "%v", err)
						}
						fe.Send(msg)
					}
					if err := fe.Flush(); err != nil {
						d.Fatalf(t, "flush: %v", err)
					}
					return ""
				case "until":
					return receiveUntil(t, fe, strings.Fields(d.Input))
				}
				d.Fatalf(t, "unknown command %s", d.Cmd)
				return ""
			})
		})
	})
}

// dialStartup connects to addr, sends a StartupMessage and reads up to
// the first ReadyForQuery, failing t on anything but success.
func dialStartup(t testing.TB, addr string, params map[string]string) *pgproto3.Frontend {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	_ = nc.SetDeadline(time.Now().Add(60 * time.Second))
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: params})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatalf("startup: %v", err)
		}
		switch m := msg.(type) {
		case *pgproto3.ErrorResponse:
			t.Fatalf("startup: %s %s", m.Code, m.Message)
		case *pgproto3.ReadyForQuery:
			return fe
		}
	}
}

// frontendTypes makes the frontend messages a transcript may send.
var frontendTypes = map[string]func() pgproto3.FrontendMessage{
	"Query":     func() pgproto3.FrontendMessage { return &pgproto3.Query{} },
	"Parse":     func() pgproto3.FrontendMessage { return &pgproto3.Parse{} },
	"Bind":      func() pgproto3.FrontendMessage { return &pgproto3.Bind{} },
	"Describe":  func() pgproto3.FrontendMessage { return &pgproto3.Describe{} },
	"Execute":   func() pgproto3.FrontendMessage { return &pgproto3.Execute{} },
	"Close":     func() pgproto3.FrontendMessage { return &pgproto3.Close{} },
	"Sync":      func() pgproto3.FrontendMessage { return &pgproto3.Sync{} },
	"Flush":     func() pgproto3.FrontendMessage { return &pgproto3.Flush{} },
	"Terminate": func() pgproto3.FrontendMessage { return &pgproto3.Terminate{} },
	"CopyDone":  func() pgproto3.FrontendMessage { return &pgproto3.CopyDone{} },
	"CopyFail":  func() pgproto3.FrontendMessage { return &pgproto3.CopyFail{} },
}

// frontendMessage decodes "Type {JSON}". CopyData is written with its
// data as text: CopyData {"Text": "a\t1\n"}.
func frontendMessage(line string) (pgproto3.FrontendMessage, error) {
	name, body, _ := strings.Cut(strings.TrimSpace(line), " ")
	if name == "CopyData" {
		// Text data as text, binary data (binary COPY) in hex.
		var cd struct{ Text, Hex string }
		if err := json.Unmarshal([]byte(body), &cd); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		if cd.Hex != "" {
			data, err := hex.DecodeString(cd.Hex)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", name, err)
			}
			return &pgproto3.CopyData{Data: data}, nil
		}
		return &pgproto3.CopyData{Data: []byte(cd.Text)}, nil
	}
	mk, ok := frontendTypes[name]
	if !ok {
		return nil, fmt.Errorf("unknown frontend message %q", name)
	}
	msg := mk()
	if body = strings.TrimSpace(body); body != "" {
		if err := json.Unmarshal([]byte(body), msg); err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
	}
	return msg, nil
}

// receiveUntil reads backend messages until each of want has arrived in
// turn, and returns them one JSON object per line.
func receiveUntil(t testing.TB, fe *pgproto3.Frontend, want []string) string {
	t.Helper()
	var b strings.Builder
	for len(want) > 0 {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatalf("receive (still waiting for %v): %v\n%s", want, err, b.String())
		}
		b.WriteString(compactJSON(t, msg))
		b.WriteByte('\n')
		if strings.TrimPrefix(fmt.Sprintf("%T", msg), "*pgproto3.") == want[0] {
			want = want[1:]
		}
	}
	return b.String()
}

// compactJSON marshals msg without its empty top-level fields, so that an
// ErrorResponse shows only the fields the server set.
func compactJSON(t testing.TB, msg pgproto3.BackendMessage) string {
	if cd, ok := msg.(*pgproto3.CopyData); ok {
		// COPY data in text formats shows as text, binary COPY data in hex.
		js, _ := json.Marshal(map[string]string{"Type": "CopyData", "Text": string(cd.Data)})
		if !utf8.Valid(cd.Data) {
			js, _ = json.Marshal(map[string]string{"Type": "CopyData", "Hex": hex.EncodeToString(cd.Data)})
		}
		return string(js)
	}
	js, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(js, &fields); err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		switch string(v) {
		case `""`, "0", "null":
			delete(fields, k)
		}
	}
	out, err := json.Marshal(fields) // sorted keys: stable output
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}
