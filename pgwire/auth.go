package pgwire

import (
	"context"
	"crypto/md5"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// authenticate checks the client's identity and sends AuthenticationOk.
// Without a users file every user name is trusted, but only from this
// machine. With one, the password is checked by the configured method:
// SCRAM-SHA-256; md5 for users whose md5 hash is stored; cleartext only
// over TLS. Anything else falls back to SCRAM, so a password never crosses
// a plain connection.
func (c *conn) authenticate(ctx context.Context) bool {
	cfg := c.srv.cfg
	if cfg.Users == nil {
		if !isLocal(c.nc.RemoteAddr()) {
			c.fatal(sqlerr.New(invalidAuthorization, "no users are configured, so only clients on this machine may connect").
				WithHint("start ddbsql serve with --users FILE (see ddbsql passwd) to accept remote clients"))
			return false
		}
		c.send(&pgproto3.AuthenticationOk{})
		return true
	}
	entry := cfg.Users.Lookup(c.user)
	var ok bool
	var err error
	switch {
	case cfg.Auth == AuthPassword && c.tls:
		ok, err = c.cleartextAuth(entry)
	case cfg.Auth == AuthMD5 && (entry == nil || entry.MD5 != ""):
		ok, err = c.md5Auth(entry)
	default:
		ok, err = c.scramAuth(entry)
	}
	if err != nil {
		if errors.Is(err, errSCRAM) {
			c.fatal(sqlerr.New(protocolViolation, "%v", err))
		}
		c.log.Debug("pgwire: authentication aborted", "user", c.user, "err", err)
		return false
	}
	if !ok {
		c.log.Info("pgwire: password authentication failed", "user", c.user, "remote", c.nc.RemoteAddr().String())
		c.fatal(sqlerr.New(invalidPassword, "password authentication failed for user %q", c.user))
		return false
	}
	c.send(&pgproto3.AuthenticationOk{})
	return true
}

// receiveAuth flushes the pending authentication request and reads the
// client's answer, of the type authType announces.
func (c *conn) receiveAuth(authType uint32) (pgproto3.FrontendMessage, error) {
	if err := c.flush(); err != nil {
		return nil, err
	}
	if err := c.be.SetAuthType(authType); err != nil {
		return nil, err
	}
	return c.be.Receive()
}

func (c *conn) cleartextAuth(entry *UserEntry) (bool, error) {
	c.send(&pgproto3.AuthenticationCleartextPassword{})
	msg, err := c.receiveAuth(pgproto3.AuthTypeCleartextPassword)
	if err != nil {
		return false, err
	}
	pm, isPassword := msg.(*pgproto3.PasswordMessage)
	if !isPassword {
		return false, errSCRAM
	}
	if entry == nil {
		return false, nil
	}
	return entry.SCRAM.checkPassword(pm.Password), nil
}

func (c *conn) md5Auth(entry *UserEntry) (bool, error) {
	var salt [4]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return false, err
	}
	c.send(&pgproto3.AuthenticationMD5Password{Salt: salt})
	msg, err := c.receiveAuth(pgproto3.AuthTypeMD5Password)
	if err != nil {
		return false, err
	}
	pm, isPassword := msg.(*pgproto3.PasswordMessage)
	if !isPassword {
		return false, errSCRAM
	}
	if entry == nil {
		return false, nil
	}
	sum := md5.Sum(append([]byte(entry.MD5[3:]), salt[:]...))
	want := "md5" + hex.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(want), []byte(pm.Password)) == 1, nil
}

func (c *conn) scramAuth(entry *UserEntry) (bool, error) {
	x := &scramExchange{}
	if entry != nil {
		x.v = entry.SCRAM
	} else {
		x.v, x.mock = mockVerifier(c.srv.mockKey[:], c.user), true
	}
	c.send(&pgproto3.AuthenticationSASL{AuthMechanisms: []string{scramMechanism}})
	msg, err := c.receiveAuth(pgproto3.AuthTypeSASL)
	if err != nil {
		return false, err
	}
	initial, isInitial := msg.(*pgproto3.SASLInitialResponse)
	if !isInitial {
		return false, errSCRAM
	}
	if initial.AuthMechanism != scramMechanism {
		return false, fmt.Errorf("%w: client selected an invalid SASL authentication mechanism %q", errSCRAM, initial.AuthMechanism)
	}
	serverFirst, err := x.first(string(initial.Data))
	if err != nil {
		return false, err
	}
	c.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	msg, err = c.receiveAuth(pgproto3.AuthTypeSASLContinue)
	if err != nil {
		return false, err
	}
	resp, isResp := msg.(*pgproto3.SASLResponse)
	if !isResp {
		return false, errSCRAM
	}
	serverFinal, ok, err := x.final(string(resp.Data))
	if err != nil || !ok {
		return false, err
	}
	c.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	return true, nil
}
