package pgwire

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Users are the accounts of a server, read from a users file: one line per
// user,
//
//	name:SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>[:md5<hex>]
//
// the SCRAM verifier in PostgreSQL's own format (pg_authid.rolpassword),
// optionally followed by the md5 hash "md5" + md5(password + name) for
// clients that only do md5. Passwords themselves are never stored. Blank
// lines and lines starting with # are ignored. User names cannot hold ':'.
type Users struct {
	mu    sync.RWMutex
	users map[string]*UserEntry
}

// UserEntry is one user's stored secrets.
type UserEntry struct {
	Name  string
	SCRAM *Verifier
	// MD5 is "md5" followed by 32 hex digits, or "".
	MD5 string
}

// Verifier is a SCRAM-SHA-256 verifier.
type Verifier struct {
	Iterations int
	Salt       []byte
	StoredKey  []byte
	ServerKey  []byte
}

// String formats v as PostgreSQL does.
func (v *Verifier) String() string {
	b64 := base64.StdEncoding.EncodeToString
	return fmt.Sprintf("SCRAM-SHA-256$%d:%s$%s:%s", v.Iterations, b64(v.Salt), b64(v.StoredKey), b64(v.ServerKey))
}

// DefaultIterations is the PBKDF2 iteration count of new verifiers
// (PostgreSQL's scram_iterations default).
const DefaultIterations = 4096

// NewVerifier derives a verifier from password with a fresh random salt.
func NewVerifier(password string, iterations int) (*Verifier, error) {
	if iterations <= 0 {
		iterations = DefaultIterations
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	salted, err := saltedPassword(password, salt, iterations)
	if err != nil {
		return nil, err
	}
	clientKey := hmacSHA256(salted, []byte("Client Key"))
	stored := sha256Sum(clientKey)
	return &Verifier{Iterations: iterations, Salt: salt, StoredKey: stored, ServerKey: hmacSHA256(salted, []byte("Server Key"))}, nil
}

// MD5Hash returns PostgreSQL's stored md5 hash of a password.
func MD5Hash(user, password string) string {
	sum := md5.Sum([]byte(password + user))
	return "md5" + hex.EncodeToString(sum[:])
}

// parseVerifier parses PostgreSQL's SCRAM-SHA-256 verifier format.
func parseVerifier(s string) (*Verifier, error) {
	rest, ok := strings.CutPrefix(s, "SCRAM-SHA-256$")
	if !ok {
		return nil, fmt.Errorf("not a SCRAM-SHA-256 verifier")
	}
	iterSalt, keys, ok := strings.Cut(rest, "$")
	if !ok {
		return nil, fmt.Errorf("want SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>")
	}
	iterText, saltText, ok1 := strings.Cut(iterSalt, ":")
	storedText, serverText, ok2 := strings.Cut(keys, ":")
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("want SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>")
	}
	iter, err := strconv.Atoi(iterText)
	if err != nil || iter <= 0 {
		return nil, fmt.Errorf("bad iteration count %q", iterText)
	}
	v := &Verifier{Iterations: iter}
	for _, f := range []struct {
		text string
		dst  *[]byte
		name string
	}{{saltText, &v.Salt, "salt"}, {storedText, &v.StoredKey, "StoredKey"}, {serverText, &v.ServerKey, "ServerKey"}} {
		b, err := base64.StdEncoding.DecodeString(f.text)
		if err != nil || len(b) == 0 {
			return nil, fmt.Errorf("bad base64 %s", f.name)
		}
		*f.dst = b
	}
	if len(v.StoredKey) != 32 || len(v.ServerKey) != 32 {
		return nil, fmt.Errorf("StoredKey and ServerKey must be 32 bytes")
	}
	return v, nil
}

// ParseUsers reads a users file.
func ParseUsers(r io.Reader) (*Users, error) {
	u := &Users{users: map[string]*UserEntry{}}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, err := parseUserLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if _, dup := u.users[e.Name]; dup {
			return nil, fmt.Errorf("line %d: user %q appears twice", n, e.Name)
		}
		u.users[e.Name] = e
	}
	return u, sc.Err()
}

func parseUserLine(line string) (*UserEntry, error) {
	name, secret, ok := strings.Cut(line, ":")
	if !ok || name == "" {
		return nil, fmt.Errorf("want user:SCRAM-SHA-256$... (a verifier made by ddbsql passwd)")
	}
	e := &UserEntry{Name: name}
	// The md5 hash, when present, follows the verifier's ServerKey.
	if i := strings.LastIndex(secret, ":md5"); i >= 0 && len(secret)-i == 36 {
		e.MD5 = secret[i+1:]
		if _, err := hex.DecodeString(e.MD5[3:]); err != nil {
			return nil, fmt.Errorf("user %q: bad md5 hash", name)
		}
		secret = secret[:i]
	}
	v, err := parseVerifier(secret)
	if err != nil {
		return nil, fmt.Errorf("user %q: %w", name, err)
	}
	e.SCRAM = v
	return e, nil
}

// LoadUsers reads the users file at path.
func LoadUsers(path string) (*Users, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	u, err := ParseUsers(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return u, nil
}

// Lookup returns the user called name, or nil.
func (u *Users) Lookup(name string) *UserEntry {
	if u == nil {
		return nil
	}
	u.mu.RLock()
	defer u.mu.RUnlock()
	return u.users[name]
}

// Put adds or replaces a user.
func (u *Users) Put(e *UserEntry) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.users == nil {
		u.users = map[string]*UserEntry{}
	}
	u.users[e.Name] = e
}

// WriteTo writes the users file, sorted by name.
func (u *Users) WriteTo(w io.Writer) (int64, error) {
	u.mu.RLock()
	defer u.mu.RUnlock()
	names := make([]string, 0, len(u.users))
	for n := range u.users {
		names = append(names, n)
	}
	sort.Strings(names)
	var b bytes.Buffer
	for _, n := range names {
		e := u.users[n]
		b.WriteString(e.Name + ":" + e.SCRAM.String())
		if e.MD5 != "" {
			b.WriteString(":" + e.MD5)
		}
		b.WriteByte('\n')
	}
	return b.WriteTo(w)
}

// SetPassword writes (or replaces) user's verifier in the users file at
// path, creating it with mode 0600, and keeps every other line's user. The
// file is replaced atomically. withMD5 also stores the md5 hash.
func SetPassword(path, user, password string, withMD5 bool) error {
	if user == "" || strings.ContainsAny(user, ":\n\r") {
		return fmt.Errorf("invalid user name %q: it must be non-empty and hold no ':' or newline", user)
	}
	users := &Users{users: map[string]*UserEntry{}}
	if f, err := os.Open(path); err == nil {
		users, err = ParseUsers(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
	} else if !os.IsNotExist(err) {
		return err
	}
	v, err := NewVerifier(password, DefaultIterations)
	if err != nil {
		return err
	}
	e := &UserEntry{Name: user, SCRAM: v}
	if withMD5 {
		e.MD5 = MD5Hash(user, password)
	}
	users.Put(e)
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return err
	}
	if _, err := users.WriteTo(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
