package migrate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/session"
)

// Migration is one versioned file of a migrations directory.
type Migration struct {
	// Version is the number the file name starts with (1 and up).
	Version int
	// Name is the rest of the file name, without ".sql".
	Name string
	// File is the file name within the directory, Path its full path.
	File, Path string
	// Up is the part run by `migrate up`; Down, nil when the file has no
	// "-- +down" line, the part run by `migrate down`.
	Up, Down *Part
}

// Part is the up or the down part of a migration file.
type Part struct {
	// Text is the part as written; Checksum is its SHA-256 in hex.
	Text     string
	Checksum string
	// Steps are the statements and settings of the part, in order.
	Steps []Step
	// Statements counts the steps that are SQL statements.
	Statements int
}

// Step is one SQL statement of a part, or one `\set NAME VALUE` line
// changing a session setting for the statements after it.
type Step struct {
	// Chunk is the statement, located in the file (line and column).
	Chunk parser.Chunk
	// Setting and Value are set for a \set line; Chunk.Pos gives its line.
	Setting, Value string
}

// fileName is the shape of a migration file name: 0001_create_users.sql.
var fileName = regexp.MustCompile(`^([0-9]+)_([A-Za-z0-9][A-Za-z0-9_.-]*)\.sql$`)

// Markers separating the parts of a file. Both are SQL comments, so a file
// stays runnable with `ddbsql -f`.
const (
	upMarker   = "-- +up"
	downMarker = "-- +down"
)

// Load reads every migration file of dir, sorted by version. Files not
// ending in .sql are ignored; a .sql file whose name does not start with a
// version, two files with the same version, or a \ line other than \set is
// an error.
func Load(dir string) ([]*Migration, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("migrations directory: %w", err)
	}
	var out []*Migration
	seen := map[int]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m := fileName.FindStringSubmatch(e.Name())
		if m == nil {
			return nil, fmt.Errorf("%s: a migration file name is VERSION_NAME.sql, such as 0001_create_users.sql", filepath.Join(dir, e.Name()))
		}
		v, err := strconv.Atoi(m[1])
		if err != nil || v < 1 {
			return nil, fmt.Errorf("%s: the version must be a number from 1 up", filepath.Join(dir, e.Name()))
		}
		if other, dup := seen[v]; dup {
			return nil, fmt.Errorf("%s and %s have the same version %d", other, e.Name(), v)
		}
		seen[v] = e.Name()
		path := filepath.Join(dir, e.Name())
		text, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		mig, err := Parse(path, string(text))
		if err != nil {
			return nil, err
		}
		mig.Version, mig.Name, mig.File = v, m[2], e.Name()
		out = append(out, mig)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// Parse splits the text of the migration file at path into its parts: the
// up part is everything before a line "-- +down" (a line "-- +up" may mark
// its start, as a comment), the down part everything after it.
func Parse(path, text string) (*Migration, error) {
	mig := &Migration{Path: path}
	lines := strings.SplitAfter(text, "\n")
	downAt := -1
	for i, l := range lines {
		if strings.EqualFold(strings.TrimSpace(l), downMarker) {
			if downAt >= 0 {
				return nil, fmt.Errorf("%s:%d: a second %q line", path, i+1, downMarker)
			}
			downAt = i
		}
	}
	upLines := lines
	if downAt >= 0 {
		upLines = lines[:downAt]
	}
	var err error
	if mig.Up, err = parsePart(path, upLines, 1); err != nil {
		return nil, err
	}
	if downAt >= 0 {
		if mig.Down, err = parsePart(path, lines[downAt+1:], downAt+2); err != nil {
			return nil, err
		}
	}
	return mig, nil
}

// parsePart gathers the statements and \set lines of lines, the first of
// which is line first of the file.
func parsePart(path string, lines []string, first int) (*Part, error) {
	text := strings.Join(lines, "")
	sum := sha256.Sum256([]byte(text))
	p := &Part{Text: text, Checksum: hex.EncodeToString(sum[:])}
	var buf strings.Builder
	bufLine := 0
	flush := func() {
		for _, c := range parser.Split(buf.String()) {
			c.Pos.Line += bufLine - 1
			p.Steps = append(p.Steps, Step{Chunk: c})
			p.Statements++
		}
		buf.Reset()
	}
	for i, l := range lines {
		lineNo := first + i
		trimmed := strings.TrimSpace(l)
		if strings.HasPrefix(trimmed, `\`) {
			if open, _ := parser.Incomplete(buf.String()); open == "" {
				fields := strings.Fields(trimmed)
				if fields[0] != `\set` || len(fields) != 3 {
					return nil, fmt.Errorf("%s:%d: only \\set SETTING VALUE lines may appear in a migration (settings: %s)",
						path, lineNo, strings.Join(session.SettingNames(), ", "))
				}
				if !isSetting(fields[1]) {
					return nil, fmt.Errorf("%s:%d: \\set %s: not a session setting (settings: %s)",
						path, lineNo, fields[1], strings.Join(session.SettingNames(), ", "))
				}
				if _, incomplete := parser.Incomplete(buf.String()); incomplete && strings.TrimSpace(stripComments(buf.String())) != "" {
					return nil, fmt.Errorf("%s:%d: \\set inside a statement: end the statement with ';' first", path, lineNo)
				}
				flush()
				p.Steps = append(p.Steps, Step{Chunk: parser.Chunk{Text: trimmed, Pos: parser.Pos{Line: lineNo, Column: 1}},
					Setting: strings.ToLower(fields[1]), Value: strings.Trim(fields[2], `'`)})
				continue
			}
		}
		if buf.Len() == 0 {
			bufLine = lineNo
		}
		buf.WriteString(l)
	}
	flush()
	return p, nil
}

func isSetting(name string) bool {
	for _, s := range session.SettingNames() {
		if strings.EqualFold(s, name) {
			return true
		}
	}
	return false
}

// stripComments drops "--" line comments, enough to tell whether text
// holds the start of a statement.
func stripComments(text string) string {
	var b strings.Builder
	for _, l := range strings.Split(text, "\n") {
		if i := strings.Index(l, "--"); i >= 0 {
			l = l[:i]
		}
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}

// prefixChecksum is the SHA-256 of the first n statements of p: what the
// history records as done, so that a failed or interrupted migration whose
// file was then edited resumes only when the statements already run are
// unchanged.
func (p *Part) prefixChecksum(n int) string {
	h := sha256.New()
	done := 0
	for _, s := range p.Steps {
		if done == n {
			break
		}
		if s.Setting != "" {
			fmt.Fprintf(h, "\\set %s %s\n", s.Setting, s.Value)
			continue
		}
		h.Write([]byte(s.Chunk.Text))
		h.Write([]byte(";\n"))
		done++
	}
	return hex.EncodeToString(h.Sum(nil))
}
