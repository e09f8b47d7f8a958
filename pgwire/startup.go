package pgwire

import (
	"context"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/session"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// Startup packet codes (the first four bytes after the length).
const (
	sslRequestCode    = 80877103
	gssEncRequestCode = 80877104
	cancelRequestCode = 80877102
	// maxStartupPacket is PostgreSQL's MAX_STARTUP_PACKET_LENGTH.
	maxStartupPacket = 10000
)

// ServerVersion is the server_version reported to clients. psql and the
// drivers choose their catalog queries by it, so it must read as a
// PostgreSQL release.
const ServerVersion = "16.0"

// handshake runs startup and authentication. It reports whether the
// connection is ready for queries; when not, it has already told the
// client why.
func (c *conn) handshake(ctx context.Context) bool {
	_ = c.nc.SetDeadline(time.Now().Add(c.srv.cfg.HandshakeTimeout))
	defer c.nc.SetDeadline(time.Time{})
	for {
		code, body, err := readStartupPacket(c.nc)
		if err != nil {
			c.log.Debug("pgwire: bad startup packet", "remote", c.nc.RemoteAddr().String(), "err", err)
			var se *sqlerr.Error
			if errors.As(err, &se) {
				c.rawFatal(se)
			}
			return false
		}
		switch {
		case code == sslRequestCode:
			if c.srv.cfg.TLS == nil || c.tls {
				if _, err := c.nc.Write([]byte{'N'}); err != nil {
					return false
				}
				continue
			}
			if _, err := c.nc.Write([]byte{'S'}); err != nil {
				return false
			}
			tc := tls.Server(c.nc, c.srv.cfg.TLS)
			if err := tc.HandshakeContext(ctx); err != nil {
				c.log.Debug("pgwire: TLS handshake failed", "remote", c.nc.RemoteAddr().String(), "err", err)
				return false
			}
			c.nc, c.tls = tc, true
		case code == gssEncRequestCode:
			if _, err := c.nc.Write([]byte{'N'}); err != nil {
				return false
			}
		case code == cancelRequestCode:
			var m pgproto3.CancelRequest
			if err := m.Decode(body); err == nil {
				c.srv.cancel(m.ProcessID, m.SecretKey)
			}
			return false
		case code>>16 == 3:
			return c.startup(ctx, code, body)
		default:
			c.rawFatal(sqlerr.New(protocolViolation, "unsupported frontend protocol %d.%d: server supports 3.0 to 3.2", code>>16, code&0xffff))
			return false
		}
	}
}

// readStartupPacket reads one length-prefixed startup packet straight from
// the socket. Nothing is read ahead, so no plaintext byte sent before a
// TLS handshake can be taken as coming through TLS.
func readStartupPacket(r io.Reader) (code uint32, body []byte, err error) {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return 0, nil, err
	}
	n := int(int32(binary.BigEndian.Uint32(hdr[:]))) - 4
	if n < 4 || n > maxStartupPacket {
		return 0, nil, sqlerr.New(protocolViolation, "invalid length of startup packet: %d", n)
	}
	body = make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return 0, nil, err
	}
	return binary.BigEndian.Uint32(body), body, nil
}

// rawFatal writes a FATAL error before the pgproto3 backend exists.
func (c *conn) rawFatal(err error) {
	buf, encErr := errorResponse("FATAL", err, "", 0).Encode(nil)
	if encErr == nil {
		_, _ = c.nc.Write(buf)
	}
}

// startup handles the StartupMessage: protocol version, limits,
// authentication, session settings, then the ParameterStatus burst,
// BackendKeyData and the first ReadyForQuery.
func (c *conn) startup(ctx context.Context, version uint32, body []byte) bool {
	c.be = pgproto3.NewBackend(c.nc, c.nc)
	minor := version & 0xffff
	use := uint32(pgproto3.ProtocolVersion30)
	if minor >= 2 {
		use = pgproto3.ProtocolVersion32
	}
	// pgproto3 decodes only the versions it knows: present the message as
	// the version the connection will use.
	binary.BigEndian.PutUint32(body, use)
	var sm pgproto3.StartupMessage
	if err := sm.Decode(body); err != nil {
		c.fatal(sqlerr.New(protocolViolation, "invalid startup packet: %v", err))
		return false
	}
	c.keyLen = 4
	if use == pgproto3.ProtocolVersion32 {
		c.keyLen = len(c.secret)
	}
	var unknownOptions []string
	params := map[string]string{}
	for k, v := range sm.Parameters {
		if strings.HasPrefix(k, "_pq_.") {
			unknownOptions = append(unknownOptions, k)
			continue
		}
		params[k] = v
	}
	if use&0xffff != minor || len(unknownOptions) > 0 {
		sort.Strings(unknownOptions)
		c.send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: use & 0xffff, UnrecognizedOptions: unknownOptions})
	}
	if c.overLimit {
		c.fatal(sqlerr.New(tooManyConnections, "sorry, too many clients already"))
		return false
	}
	if c.srv.closing.Load() {
		c.fatal(sqlerr.New("57P03", "the database system is shutting down"))
		return false
	}
	c.user = params["user"]
	if c.user == "" {
		c.fatal(sqlerr.New(invalidAuthorization, "no PostgreSQL user name specified in startup packet"))
		return false
	}
	if !c.authenticate(ctx) {
		return false
	}
	database := params["database"]
	if database == "" {
		database = c.user
	}
	c.sess = c.srv.cfg.NewSession(c.user, database)
	c.sess.OnNotice = func(msg string) { c.sendNotice("WARNING", "01000", msg) }
	c.sess.OnDeallocate = c.deallocate
	c.reported = c.initialSettings()
	for _, name := range session.ReportedSettings() {
		if v, err := c.sess.Get(name); err == nil {
			c.reported[name] = v
		}
	}
	// A read-only server says so, whatever the session reports.
	if c.srv.cfg.ReadOnly {
		c.reported["default_transaction_read_only"] = "on"
	}
	if err := c.applyStartupParams(params); err != nil {
		c.fatal(err)
		return false
	}
	names := make([]string, 0, len(c.reported))
	for name := range c.reported {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		c.send(&pgproto3.ParameterStatus{Name: name, Value: c.reported[name]})
	}
	c.sess.OnSettingChange = c.settingChanged
	c.send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret[:c.keyLen]})
	c.sendReady()
	return c.flush() == nil
}

// initialSettings are the ParameterStatus values of a new connection.
func (c *conn) initialSettings() map[string]string {
	return map[string]string{
		"server_version":                ServerVersion,
		"server_encoding":               "UTF8",
		"client_encoding":               "UTF8",
		"DateStyle":                     "ISO, MDY",
		"IntervalStyle":                 "postgres",
		"integer_datetimes":             "on",
		"standard_conforming_strings":   "on",
		"TimeZone":                      "UTC",
		"application_name":              "",
		"is_superuser":                  "off",
		"session_authorization":         c.user,
		"default_transaction_read_only": onOff(c.srv.cfg.ReadOnly),
		"in_hot_standby":                "off",
	}
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

// clientTuning are PostgreSQL settings drivers send at startup that only
// shape output ddbsql formats its own way; a session that does not keep
// one ignores it rather than refusing the connection, as every driver
// would otherwise fail to connect.
var clientTuning = map[string]bool{
	"extra_float_digits": true, "search_path": true, "client_min_messages": true, "bytea_output": true,
	"lock_timeout": true, "idle_in_transaction_session_timeout": true, "default_transaction_isolation": true,
	"geqo": true, "jit": true,
}

// startupOnly are startup parameters that are not settings.
var startupOnly = map[string]bool{"user": true, "database": true, "replication": true}

// applyStartupParams applies the server's statement_timeout default and
// then the client's startup parameters as SET would, options' "-c
// name=value" pairs included.
func (c *conn) applyStartupParams(params map[string]string) error {
	if t := c.srv.cfg.StatementTimeout; t > 0 {
		if err := c.sess.Set("statement_timeout", fmt.Sprint(t.Milliseconds())); err != nil {
			return err
		}
	}
	var names []string
	for k := range params {
		names = append(names, k)
	}
	sort.Strings(names)
	var settings [][2]string
	for _, k := range names {
		switch {
		case startupOnly[k]:
		case k == "options":
			opts, err := parseOptions(params[k])
			if err != nil {
				return err
			}
			settings = append(settings, opts...)
		default:
			settings = append(settings, [2]string{k, params[k]})
		}
	}
	for _, kv := range settings {
		if err := c.setting(kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// setting applies one startup setting. client_encoding must name UTF-8,
// the only encoding ddbsql speaks. Reported settings the session does not
// keep itself (application_name, DateStyle, ...) are kept for
// ParameterStatus.
func (c *conn) setting(name, value string) error {
	// Startup values are GUC values: 'quoted' is the same as unquoted.
	if len(value) >= 2 && value[0] == '\'' && value[len(value)-1] == '\'' {
		value = strings.ReplaceAll(value[1:len(value)-1], "''", "'")
	}
	if strings.EqualFold(name, "client_encoding") {
		switch strings.ToUpper(strings.ReplaceAll(value, "-", "")) {
		case "UTF8", "UNICODE":
			return nil
		}
		return sqlerr.New(sqlerr.InvalidParameter, "invalid value for parameter \"client_encoding\": %q", value).
			WithHint("ddbsql speaks UTF8 only")
	}
	err := c.sess.SetStartup(name, value)
	reported := c.reportedName(name)
	if err != nil && (sqlerr.Code(err) != undefinedParameter || (reported == "" && !clientTuning[strings.ToLower(name)])) {
		return err
	}
	if reported != "" {
		// Sessions that have no such setting leave it to the client alone.
		c.reported[reported] = value
	}
	return nil
}

// reportedName returns the ParameterStatus spelling of name, or "" when
// it is not reported.
func (c *conn) reportedName(name string) string {
	for k := range c.reported {
		if strings.EqualFold(k, name) {
			return k
		}
	}
	return ""
}

// settingChanged sends ParameterStatus when a reported setting changes.
func (c *conn) settingChanged(name, value string) {
	k := c.reportedName(name)
	if k == "" || c.reported[k] == value {
		return
	}
	c.reported[k] = value
	c.send(&pgproto3.ParameterStatus{Name: k, Value: value})
}

// parseOptions splits the startup "options" parameter: command-line style
// "-c name=value" and "--name=value" switches separated by spaces, where a
// backslash escapes the next character.
func parseOptions(s string) ([][2]string, error) {
	var words []string
	var cur strings.Builder
	inWord, escaped := false, false
	for _, r := range s {
		switch {
		case escaped:
			cur.WriteRune(r)
			escaped = false
		case r == '\\':
			escaped, inWord = true, true
		case r == ' ' || r == '\t' || r == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	var out [][2]string
	for i := 0; i < len(words); i++ {
		w := words[i]
		var kv string
		switch {
		case w == "-c" && i+1 < len(words):
			i++
			kv = words[i]
		case strings.HasPrefix(w, "-c"):
			kv = w[2:]
		case strings.HasPrefix(w, "--"):
			kv = w[2:]
		default:
			return nil, sqlerr.New(protocolViolation, "invalid command-line argument for server process: %s", w).
				WithHint("options holds -c name=value or --name=value switches")
		}
		name, value, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, sqlerr.New(sqlerr.SyntaxError, "parameter %q requires a value", name)
		}
		out = append(out, [2]string{strings.ReplaceAll(name, "-", "_"), value})
	}
	return out, nil
}

// isLocal reports whether the client is on this machine: loopback TCP, a
// Unix socket, or an in-memory pipe.
func isLocal(a net.Addr) bool {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.IsLoopback()
	}
	return true
}
