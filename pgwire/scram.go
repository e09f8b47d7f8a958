package pgwire

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
)

// The server side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL
// speaks it: no channel binding (SCRAM-SHA-256-PLUS is not offered), the
// user name of the startup packet rather than the SCRAM "n=" attribute,
// and passwords used as given (without SASLprep, which changes only
// passwords with unusual Unicode characters; PostgreSQL falls back to the
// raw password the same way when SASLprep fails).

const scramMechanism = "SCRAM-SHA-256"

func saltedPassword(password string, salt []byte, iterations int) ([]byte, error) {
	return pbkdf2.Key(sha256.New, password, salt, iterations, sha256.Size)
}

func hmacSHA256(key, msg []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil)
}

func sha256Sum(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:]
}

// checkPassword reports whether password matches v (for cleartext
// authentication over TLS).
func (v *Verifier) checkPassword(password string) bool {
	salted, err := saltedPassword(password, v.Salt, v.Iterations)
	if err != nil {
		return false
	}
	stored := sha256Sum(hmacSHA256(salted, []byte("Client Key")))
	return subtle.ConstantTimeCompare(stored, v.StoredKey) == 1
}

// scramExchange is one SCRAM conversation.
type scramExchange struct {
	v *Verifier
	// mock is set for an unknown user: the exchange runs to its end with
	// a made-up verifier and then fails, like a wrong password.
	mock bool

	gs2Header       string
	clientFirstBare string
	serverFirst     string
	nonce           string
}

// errSCRAM is a malformed SCRAM message (a protocol violation, not a
// wrong password).
var errSCRAM = errors.New("malformed SCRAM message")

// first takes client-first-message and returns server-first-message.
func (x *scramExchange) first(msg string) (string, error) {
	// gs2-header: "n,," (client does not support channel binding) or
	// "y,," (it does, but thinks the server does not). "p=..." asks for
	// channel binding, which was not offered.
	var rest string
	switch {
	case strings.HasPrefix(msg, "n,"), strings.HasPrefix(msg, "y,"):
		rest = msg[2:]
	case strings.HasPrefix(msg, "p="):
		return "", fmt.Errorf("%w: channel binding was not offered", errSCRAM)
	default:
		return "", fmt.Errorf("%w: bad GS2 header", errSCRAM)
	}
	authzid, bare, ok := strings.Cut(rest, ",")
	if !ok || (authzid != "" && !strings.HasPrefix(authzid, "a=")) {
		return "", fmt.Errorf("%w: bad GS2 header", errSCRAM)
	}
	x.gs2Header = msg[:len(msg)-len(bare)]
	x.clientFirstBare = bare
	var clientNonce string
	for _, attr := range strings.Split(bare, ",") {
		if strings.HasPrefix(attr, "m=") {
			return "", fmt.Errorf("%w: unsupported mandatory extension", errSCRAM)
		}
		if v, ok := strings.CutPrefix(attr, "r="); ok {
			clientNonce = v
		}
	}
	if clientNonce == "" || strings.ContainsAny(clientNonce, ",") {
		return "", fmt.Errorf("%w: missing client nonce", errSCRAM)
	}
	var raw [18]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	x.nonce = clientNonce + base64.StdEncoding.EncodeToString(raw[:])
	x.serverFirst = fmt.Sprintf("r=%s,s=%s,i=%d", x.nonce, base64.StdEncoding.EncodeToString(x.v.Salt), x.v.Iterations)
	return x.serverFirst, nil
}

// final takes client-final-message and returns server-final-message, or
// ok=false when the proof is wrong.
func (x *scramExchange) final(msg string) (reply string, ok bool, err error) {
	i := strings.LastIndex(msg, ",p=")
	if i < 0 {
		return "", false, fmt.Errorf("%w: missing proof", errSCRAM)
	}
	withoutProof := msg[:i]
	proof, err := base64.StdEncoding.DecodeString(msg[i+3:])
	if err != nil || len(proof) != sha256.Size {
		return "", false, fmt.Errorf("%w: bad proof", errSCRAM)
	}
	var binding, nonce string
	for _, attr := range strings.Split(withoutProof, ",") {
		switch {
		case strings.HasPrefix(attr, "c="):
			binding = attr[2:]
		case strings.HasPrefix(attr, "r="):
			nonce = attr[2:]
		}
	}
	if binding != base64.StdEncoding.EncodeToString([]byte(x.gs2Header)) {
		return "", false, fmt.Errorf("%w: channel binding does not match", errSCRAM)
	}
	if nonce != x.nonce {
		return "", false, fmt.Errorf("%w: nonce does not match", errSCRAM)
	}
	authMessage := []byte(x.clientFirstBare + "," + x.serverFirst + "," + withoutProof)
	signature := hmacSHA256(x.v.StoredKey, authMessage)
	clientKey := make([]byte, len(proof))
	for i := range proof {
		clientKey[i] = proof[i] ^ signature[i]
	}
	if subtle.ConstantTimeCompare(sha256Sum(clientKey), x.v.StoredKey) != 1 || x.mock {
		return "", false, nil
	}
	return "v=" + base64.StdEncoding.EncodeToString(hmacSHA256(x.v.ServerKey, authMessage)), true, nil
}

// mockVerifier is the made-up verifier of an unknown user: its salt is
// the same at every attempt, so that it looks like a real user's.
func mockVerifier(key []byte, user string) *Verifier {
	salt := hmacSHA256(key, []byte("salt:"+user))[:16]
	return &Verifier{Iterations: DefaultIterations, Salt: salt,
		StoredKey: hmacSHA256(key, []byte("stored:"+user)), ServerKey: hmacSHA256(key, []byte("server:"+user))}
}
