package pgwire

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/binary"
	"errors"
	"fmt"
	"math/big"
	"net"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// dynaliteClient returns a dynalite client with the sample data: the
// protocol tests need a backend but test nothing backend-specific.
func dynaliteClient(t *testing.T) *dynamodb.Client {
	t.Helper()
	return sampleClient(t, testbackend.Get(t, testbackend.Dynalite))
}

// rawStartup sends a StartupMessage of the given version and returns the
// messages up to ReadyForQuery or the first ErrorResponse.
func rawStartup(t *testing.T, nc net.Conn, version uint32, params map[string]string) []pgproto3.BackendMessage {
	t.Helper()
	buf := binary.BigEndian.AppendUint32(nil, 0)
	buf = binary.BigEndian.AppendUint32(buf, version)
	for k, v := range params {
		buf = append(append(append(append(buf, k...), 0), v...), 0)
	}
	buf = append(buf, 0)
	binary.BigEndian.PutUint32(buf, uint32(len(buf)))
	if _, err := nc.Write(buf); err != nil {
		t.Fatal(err)
	}
	return receiveAll(t, pgproto3.NewFrontend(nc, nc))
}

// receiveAll reads until ReadyForQuery or an ErrorResponse.
func receiveAll(t *testing.T, fe *pgproto3.Frontend) []pgproto3.BackendMessage {
	t.Helper()
	var out []pgproto3.BackendMessage
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatalf("receive after %d messages: %v", len(out), err)
		}
		switch m := msg.(type) {
		case *pgproto3.BackendKeyData:
			c := *m
			c.SecretKey = bytes.Clone(m.SecretKey)
			msg = &c
		case *pgproto3.ParameterStatus:
			c := *m
			msg = &c
		case *pgproto3.NegotiateProtocolVersion:
			c := *m
			c.UnrecognizedOptions = append([]string(nil), m.UnrecognizedOptions...)
			msg = &c
		}
		out = append(out, msg)
		switch m := msg.(type) {
		case *pgproto3.ReadyForQuery:
			return out
		case *pgproto3.ErrorResponse:
			e := *m
			out[len(out)-1] = &e
			return out
		}
	}
}

func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	_ = nc.SetDeadline(time.Now().Add(60 * time.Second))
	t.Cleanup(func() { nc.Close() })
	return nc
}

func lastError(t *testing.T, msgs []pgproto3.BackendMessage) *pgproto3.ErrorResponse {
	t.Helper()
	if len(msgs) > 0 {
		if e, ok := msgs[len(msgs)-1].(*pgproto3.ErrorResponse); ok {
			return e
		}
	}
	t.Fatalf("no ErrorResponse in %d messages", len(msgs))
	return nil
}

func TestStartup(t *testing.T) {
	addr, _ := startServer(t, dynaliteClient(t), func(c *Config) { c.ReadOnly = true })

	t.Run("ParameterStatus and BackendKeyData", func(t *testing.T) {
		msgs := rawStartup(t, dial(t, addr), pgproto3.ProtocolVersion30,
			map[string]string{"user": "alice", "application_name": "wiretest", "options": "-c DateStyle=ISO,\\ MDY"})
		status := map[string]string{}
		var key *pgproto3.BackendKeyData
		for _, m := range msgs {
			switch m := m.(type) {
			case *pgproto3.ParameterStatus:
				status[m.Name] = m.Value
			case *pgproto3.BackendKeyData:
				key = m
			case *pgproto3.ErrorResponse:
				t.Fatalf("startup failed: %s %s", m.Code, m.Message)
			}
		}
		want := map[string]string{"server_version": ServerVersion, "server_encoding": "UTF8", "client_encoding": "UTF8",
			"DateStyle": "ISO, MDY", "integer_datetimes": "on", "standard_conforming_strings": "on",
			"application_name": "wiretest", "session_authorization": "alice", "default_transaction_read_only": "on",
			"in_hot_standby": "off", "IntervalStyle": "postgres", "is_superuser": "off", "TimeZone": "UTC"}
		for k, v := range want {
			if status[k] != v {
				t.Errorf("ParameterStatus %s = %q, want %q", k, status[k], v)
			}
		}
		if key == nil || len(key.SecretKey) != 4 {
			t.Errorf("BackendKeyData %+v: want a 4-byte secret in protocol 3.0", key)
		}
	})

	t.Run("newer minor version negotiates 3.2", func(t *testing.T) {
		msgs := rawStartup(t, dial(t, addr), 3<<16|9, map[string]string{"user": "alice", "_pq_.future": "1"})
		neg, ok := msgs[0].(*pgproto3.NegotiateProtocolVersion)
		if !ok || neg.NewestMinorProtocol != 2 || len(neg.UnrecognizedOptions) != 1 || neg.UnrecognizedOptions[0] != "_pq_.future" {
			t.Fatalf("first message %#v, want NegotiateProtocolVersion{2, [_pq_.future]}", msgs[0])
		}
		for _, m := range msgs {
			if k, ok := m.(*pgproto3.BackendKeyData); ok && len(k.SecretKey) != 32 {
				t.Errorf("secret of %d bytes, want 32 in protocol 3.2", len(k.SecretKey))
			}
		}
		if _, ok := msgs[len(msgs)-1].(*pgproto3.ReadyForQuery); !ok {
			t.Errorf("last message %T, want ReadyForQuery", msgs[len(msgs)-1])
		}
	})

	t.Run("protocol 2 is refused", func(t *testing.T) {
		nc := dial(t, addr)
		e := lastError(t, rawStartup(t, nc, 2<<16, map[string]string{"user": "alice"}))
		if e.Code != "08P01" {
			t.Errorf("code %s (%s), want 08P01", e.Code, e.Message)
		}
	})

	t.Run("missing user", func(t *testing.T) {
		e := lastError(t, rawStartup(t, dial(t, addr), pgproto3.ProtocolVersion30, map[string]string{"database": "x"}))
		if e.Code != "28000" {
			t.Errorf("code %s, want 28000", e.Code)
		}
	})

	t.Run("SSLRequest and GSSENCRequest without TLS get N", func(t *testing.T) {
		nc := dial(t, addr)
		for _, code := range []uint32{sslRequestCode, gssEncRequestCode} {
			buf := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, 8), code)
			if _, err := nc.Write(buf); err != nil {
				t.Fatal(err)
			}
			var b [1]byte
			if _, err := nc.Read(b[:]); err != nil || b[0] != 'N' {
				t.Fatalf("answer %q, %v; want N", b[0], err)
			}
		}
		msgs := rawStartup(t, nc, pgproto3.ProtocolVersion30, map[string]string{"user": "alice"})
		if _, ok := msgs[len(msgs)-1].(*pgproto3.ReadyForQuery); !ok {
			t.Fatalf("startup after N ended with %T", msgs[len(msgs)-1])
		}
	})
}

// selfSignedTLS returns a server TLS config for 127.0.0.1.
func selfSignedTLS(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

// testUsers holds alice (SCRAM verifier and md5 hash) and bob (SCRAM only).
func testUsers(t *testing.T) *Users {
	t.Helper()
	users := &Users{}
	for _, u := range []struct {
		name, password string
		md5            bool
	}{{"alice", "wonder land", true}, {"bob", "b0b", false}} {
		v, err := NewVerifier(u.password, 0)
		if err != nil {
			t.Fatal(err)
		}
		e := &UserEntry{Name: u.name, SCRAM: v}
		if u.md5 {
			e.MD5 = MD5Hash(u.name, u.password)
		}
		users.Put(e)
	}
	// The file format round-trips.
	var b bytes.Buffer
	if _, err := users.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	parsed, err := ParseUsers(&b)
	if err != nil {
		t.Fatal(err)
	}
	return parsed
}

func pgxTry(addr, user, password, sslmode string) (*pgx.Conn, error) {
	cc, err := pgx.ParseConfig(fmt.Sprintf("postgres://%s@%s/ddbsql?sslmode=%s", user, addr, sslmode))
	if err != nil {
		return nil, err
	}
	cc.Password = password
	if cc.TLSConfig != nil {
		cc.TLSConfig.InsecureSkipVerify = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pgx.ConnectConfig(ctx, cc)
}

func TestAuthentication(t *testing.T) {
	client := dynaliteClient(t)
	users := testUsers(t)
	for _, tc := range []struct {
		name           string
		auth           AuthMethod
		tls            bool
		user, password string
		sslmode        string
		wantCode       string
	}{
		{name: "scram", auth: AuthSCRAM, user: "alice", password: "wonder land", sslmode: "disable"},
		{name: "scram wrong password", auth: AuthSCRAM, user: "alice", password: "wonderland", sslmode: "disable", wantCode: "28P01"},
		{name: "scram unknown user", auth: AuthSCRAM, user: "carol", password: "x", sslmode: "disable", wantCode: "28P01"},
		{name: "md5", auth: AuthMD5, user: "alice", password: "wonder land", sslmode: "disable"},
		{name: "md5 wrong password", auth: AuthMD5, user: "alice", password: "nope", sslmode: "disable", wantCode: "28P01"},
		{name: "md5 method, user without md5 hash, gets scram", auth: AuthMD5, user: "bob", password: "b0b", sslmode: "disable"},
		{name: "cleartext over TLS", auth: AuthPassword, tls: true, user: "bob", password: "b0b", sslmode: "require"},
		{name: "cleartext over TLS wrong password", auth: AuthPassword, tls: true, user: "bob", password: "bob", sslmode: "require", wantCode: "28P01"},
		{name: "scram over TLS", auth: AuthSCRAM, tls: true, user: "alice", password: "wonder land", sslmode: "require"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr, _ := startServer(t, client, func(c *Config) {
				c.Users, c.Auth = users, tc.auth
				if tc.tls {
					c.TLS = selfSignedTLS(t)
				}
			})
			conn, err := pgxTry(addr, tc.user, tc.password, tc.sslmode)
			if tc.wantCode != "" {
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != tc.wantCode {
					t.Fatalf("err = %v, want SQLSTATE %s", err, tc.wantCode)
				}
				if want := fmt.Sprintf("password authentication failed for user %q", tc.user); pe.Message != want {
					t.Errorf("message %q, want %q", pe.Message, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(context.Background())
			var n int
			if err := conn.QueryRow(context.Background(), "SELECT 41 + 1").Scan(&n); err != nil || n != 42 {
				t.Fatalf("SELECT: %v %d", err, n)
			}
		})
	}

	t.Run("cleartext refused without TLS", func(t *testing.T) {
		addr, _ := startServer(t, client, func(c *Config) { c.Users, c.Auth, c.TLS = users, AuthPassword, selfSignedTLS(t) })
		nc := dial(t, addr)
		msgs := rawStartupUntilAuth(t, nc, map[string]string{"user": "bob"})
		if _, ok := msgs.(*pgproto3.AuthenticationSASL); !ok {
			t.Fatalf("plain connection asked %T, want AuthenticationSASL (never a cleartext password)", msgs)
		}
	})

	t.Run("trust only from loopback", func(t *testing.T) {
		if isLocal(&net.TCPAddr{IP: net.ParseIP("192.0.2.1")}) || !isLocal(&net.TCPAddr{IP: net.IPv6loopback}) {
			t.Fatal("isLocal misjudges addresses")
		}
	})
}

// rawStartupUntilAuth sends a StartupMessage and returns the first message.
func rawStartupUntilAuth(t *testing.T, nc net.Conn, params map[string]string) pgproto3.BackendMessage {
	t.Helper()
	fe := pgproto3.NewFrontend(nc, nc)
	fe.Send(&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: params})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	msg, err := fe.Receive()
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// blockingScans is a DynamoDB client whose Scans of the Sessions table
// wait until their context ends: a statement that runs until canceled.
type blockingScans struct {
	*dynamodb.Client
	started chan struct{}
}

func (b *blockingScans) Scan(ctx context.Context, in *dynamodb.ScanInput, opts ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	if in.TableName != nil && *in.TableName == "Sessions" && in.Limit == nil {
		select {
		case b.started <- struct{}{}:
		default:
		}
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return b.Client.Scan(ctx, in, opts...)
}

func TestCancelRequest(t *testing.T) {
	api := &blockingScans{Client: dynaliteClient(t), started: make(chan struct{}, 1)}
	addr, _ := startServer(t, api, nil)
	conn := pgxConnect(t, addr, "alice", "")
	ctx := context.Background()
	go func() {
		<-api.started
		if err := conn.PgConn().CancelRequest(ctx); err != nil {
			t.Errorf("CancelRequest: %v", err)
		}
	}()
	_, err := conn.Exec(ctx, "SELECT * FROM Sessions WHERE active = true")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
		t.Fatalf("err = %v, want 57014 canceling statement due to user request", err)
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&n); err != nil {
		t.Fatalf("connection unusable after cancel: %v", err)
	}
}

// slowUpdates holds each UpdateItem 40 ms and counts those that reached
// the table.
type slowUpdates struct {
	*dynamodb.Client
	sent    atomic.Int64
	started chan struct{}
}

func (s *slowUpdates) UpdateItem(ctx context.Context, in *dynamodb.UpdateItemInput, opts ...func(*dynamodb.Options)) (*dynamodb.UpdateItemOutput, error) {
	select {
	case s.started <- struct{}{}:
	default:
	}
	time.Sleep(40 * time.Millisecond)
	out, err := s.Client.UpdateItem(ctx, in, opts...)
	if err == nil {
		s.sent.Add(1)
	}
	return out, err
}

// TestCancelRequestDuringUpdate cancels a long set-based UPDATE from the
// client: the error says how many items were updated, and that count is
// exact — the writes in flight finished, no further one started.
func TestCancelRequestDuringUpdate(t *testing.T) {
	api := &slowUpdates{Client: dynaliteClient(t), started: make(chan struct{}, 1)}
	addr, _ := startServer(t, api, nil)
	conn := pgxConnect(t, addr, "alice", "")
	ctx := context.Background()
	table := testbackend.TableName(t, "cancel_update")
	if _, err := conn.Exec(ctx, `CREATE TABLE `+table+` (id TEXT, PRIMARY KEY (id))`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Exec(context.Background(), `DROP TABLE IF EXISTS `+table) })
	var rows []string
	for i := range 300 {
		rows = append(rows, fmt.Sprintf("('k%03d', %d)", i, i))
	}
	if _, err := conn.Exec(ctx, `INSERT INTO `+table+` (id, n) VALUES `+strings.Join(rows, ", ")); err != nil {
		t.Fatal(err)
	}
	go func() {
		<-api.started
		time.Sleep(200 * time.Millisecond)
		if err := conn.PgConn().CancelRequest(ctx); err != nil {
			t.Errorf("CancelRequest: %v", err)
		}
	}()
	_, err := conn.Exec(ctx, `UPDATE `+table+` SET m = n + 1 WHERE n >= 0`)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" {
		t.Fatalf("err = %v, want 57014", err)
	}
	var reported int64
	if _, err := fmt.Sscanf(pe.Detail, "canceled after %d items updated, 0 skipped; the rest of the table is unchanged", &reported); err != nil || reported == 0 || reported >= 300 {
		t.Fatalf("detail %q: want how many of the 300 items were updated", pe.Detail)
	}
	if sent := api.sent.Load(); sent != reported {
		t.Errorf("%d updates reached the table, %d reported", sent, reported)
	}
	var n int64
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM `+table+` WHERE m > 0 WITH (consistent_read = on)`).Scan(&n); err != nil || n != reported {
		t.Errorf("%d items updated in the table (%v), %d reported", n, err, reported)
	}
}

func TestLimits(t *testing.T) {
	client := dynaliteClient(t)
	t.Run("max connections", func(t *testing.T) {
		addr, _ := startServer(t, client, func(c *Config) { c.MaxConnections = 1 })
		first := pgxConnect(t, addr, "alice", "")
		_, err := pgxTry(addr, "alice", "", "disable")
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "53300" || pe.Message != "sorry, too many clients already" {
			t.Fatalf("second connection: %v, want 53300", err)
		}
		first.Close(context.Background())
		// The slot is free again once the first has gone.
		for i := 0; ; i++ {
			c, err := pgxTry(addr, "alice", "", "disable")
			if err == nil {
				c.Close(context.Background())
				break
			}
			if i == 100 {
				t.Fatalf("no slot after the first connection closed: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
	t.Run("max message size", func(t *testing.T) {
		addr, _ := startServer(t, client, func(c *Config) { c.MaxMessageSize = 1024 })
		fe := dialStartup(t, addr, map[string]string{"user": "alice"})
		fe.Send(&pgproto3.Query{String: "SELECT '" + strings.Repeat("x", 2000) + "'"})
		if err := fe.Flush(); err != nil {
			t.Fatal(err)
		}
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := msg.(*pgproto3.ErrorResponse); !ok || e.Code != "54000" || e.Severity != "FATAL" {
			t.Fatalf("got %#v, want FATAL 54000", msg)
		}
		if _, err := fe.Receive(); err == nil {
			t.Fatal("connection still open after an oversized message")
		}
		c := pgxConnect(t, addr, "alice", "")
		if _, err := c.Exec(context.Background(), "SELECT 1"); err != nil {
			t.Fatalf("another connection: %v", err)
		}
	})
	t.Run("idle timeout", func(t *testing.T) {
		addr, _ := startServer(t, client, func(c *Config) { c.IdleTimeout = 100 * time.Millisecond })
		fe := dialStartup(t, addr, map[string]string{"user": "alice"})
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		if e, ok := msg.(*pgproto3.ErrorResponse); !ok || e.Code != "57P05" {
			t.Fatalf("got %#v, want FATAL 57P05", msg)
		}
	})
}

func TestShutdown(t *testing.T) {
	api := &blockingScans{Client: dynaliteClient(t), started: make(chan struct{}, 1)}
	addr, srv := startServer(t, api, nil)
	idle := dialStartup(t, addr, map[string]string{"user": "idle"})
	busy := pgxConnect(t, addr, "busy", "")
	errc := make(chan error, 1)
	go func() {
		_, err := busy.Exec(context.Background(), "SELECT * FROM Sessions WHERE active = true")
		errc <- err
	}()
	<-api.started
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := srv.Shutdown(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Shutdown = %v, want DeadlineExceeded (a statement never finished)", err)
	}
	msg, err := idle.Receive()
	if e, ok := msg.(*pgproto3.ErrorResponse); err != nil || !ok || e.Code != "57P01" {
		t.Errorf("idle connection got %#v, %v; want FATAL 57P01", msg, err)
	}
	var pe *pgconn.PgError
	if err := <-errc; !errors.As(err, &pe) || pe.Code != "57P01" {
		t.Errorf("busy connection got %v, want 57P01", err)
	}
	if _, err := pgxTry(addr, "late", "", "disable"); err == nil {
		t.Error("connected after Shutdown")
	}
}
