package pgwire

import (
	"encoding/binary"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// FuzzMessageLoop sends arbitrary bytes to a server: after a valid startup
// (first byte even) or as the startup packet itself (first byte odd). The
// server must never panic, and another connection must keep working.
// Run: go test ./pgwire -run '^$' -fuzz FuzzMessageLoop -fuzztime 50s
func FuzzMessageLoop(f *testing.F) {
	encode := func(msgs ...pgproto3.FrontendMessage) []byte {
		var b []byte
		for _, m := range msgs {
			var err error
			if b, err = m.Encode(b); err != nil {
				f.Fatal(err)
			}
		}
		return b
	}
	valid := encode(&pgproto3.Parse{Name: "s", Query: "SELECT $1::int + 1"}, &pgproto3.Describe{ObjectType: 'S', Name: "s"},
		&pgproto3.Bind{PreparedStatement: "s", Parameters: [][]byte{[]byte("41")}}, &pgproto3.Execute{MaxRows: 1}, &pgproto3.Sync{},
		&pgproto3.Query{String: "SELECT 1; SELECT 'x'"})
	f.Add(append([]byte{0}, valid...))
	f.Add(append([]byte{0}, valid[:len(valid)/2]...))
	// A Bind with a negative parameter length (pgproto3/v2 panicked on it).
	bind := encode(&pgproto3.Bind{Parameters: [][]byte{[]byte("abcd")}})
	f.Add(append([]byte{0}, bind[:len(bind)-10]...))
	oversized := binary.BigEndian.AppendUint32([]byte{0, 'Q'}, 1<<30)
	f.Add(oversized)
	f.Add([]byte{1, 0, 0, 0, 8, 4, 210, 22, 47})
	f.Add(append([]byte{1}, binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 16), 80877102)...))

	client := sampleClient(f, testbackend.Get(f, testbackend.Dynalite))
	var mu sync.Mutex
	var panics []any
	addr, srv := startServer(f, client, func(c *Config) { c.MaxMessageSize = 4096; c.HandshakeTimeout = 2 * time.Second })
	srv.panicHook = func(r any) {
		mu.Lock()
		panics = append(panics, r)
		mu.Unlock()
	}
	var n int
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		nc, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer nc.Close()
		_ = nc.SetDeadline(time.Now().Add(3 * time.Second))
		if data[0]%2 == 0 {
			fe := pgproto3.NewFrontend(nc, nc)
			fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "fuzz"}})
			if err := fe.Flush(); err != nil {
				t.Fatal(err)
			}
			for {
				msg, err := fe.Receive()
				if err != nil {
					t.Fatalf("startup: %v", err)
				}
				if _, ok := msg.(*pgproto3.ReadyForQuery); ok {
					break
				}
			}
		}
		if _, err := nc.Write(data[1:]); err != nil {
			return
		}
		// Close our side for writing, so that a server waiting for the
		// rest of a message sees EOF, then drain what it says.
		if tc, ok := nc.(*net.TCPConn); ok {
			_ = tc.CloseWrite()
		}
		_, _ = io.Copy(io.Discard, nc)
		mu.Lock()
		p := panics
		mu.Unlock()
		if len(p) > 0 {
			t.Fatalf("server panicked: %v", p[0])
		}
		if n++; n%50 == 0 {
			checkServes(t, addr)
		}
	})
}

// checkServes fails t unless a new connection runs a query.
func checkServes(t *testing.T, addr string) {
	fe := dialStartup(t, addr, map[string]string{"user": "check"})
	fe.Send(&pgproto3.Query{String: "SELECT 1"})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatalf("server stopped serving: %v", err)
		}
		switch m := msg.(type) {
		case *pgproto3.ErrorResponse:
			t.Fatalf("SELECT 1: %s %s", m.Code, m.Message)
		case *pgproto3.ReadyForQuery:
			return
		}
	}
}
