package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// template is the text of a new migration file.
const template = `-- +up
-- Statements run in order, each recorded in the history when it completes.
-- A long UPDATE, DELETE, INSERT ... SELECT or COPY also records checkpoints as
-- it goes; a run that is interrupted resumes the statement that was
-- running from its last checkpoint, so the items handled since that
-- checkpoint are written again. ddbsql makes INSERT and COPY (an
-- existing item equal to the one inserted counts as written) and UPDATE
-- ... SET n = n + 1 (each item updated carries a mark until the statement
-- completes, so it is not updated twice) safe to repeat; write the other
-- statements so that repeating them is harmless: CREATE TABLE IF NOT
-- EXISTS, UPSERT, DELETE, UPDATE ... SET to constants.

-- +down
-- Statements that revert the up part, run by "ddbsql migrate down".
`

var nameClean = regexp.MustCompile(`[^a-z0-9]+`)

// New creates the next migration file of dir (creating dir if needed),
// numbered one after the highest version there, and returns its path.
func New(dir, name string) (string, error) {
	slug := strings.Trim(nameClean.ReplaceAllString(strings.ToLower(name), "_"), "_")
	if slug == "" {
		return "", errors.New("the name needs letters or digits, such as create_users")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	migs, err := Load(dir)
	if err != nil {
		return "", err
	}
	next := 1
	if len(migs) > 0 {
		next = migs[len(migs)-1].Version + 1
	}
	path := filepath.Join(dir, fmt.Sprintf("%04d_%s.sql", next, slug))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(template); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}
