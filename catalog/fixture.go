package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// Fixture is a Catalog of fixed tables, for tests and planning without a
// backend.
type Fixture map[string]*Table

// LoadFixture reads a JSON array of tables.
func LoadFixture(path string) (Fixture, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var tables []*Table
	if err := json.Unmarshal(data, &tables); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f := Fixture{}
	for _, t := range tables {
		f[t.Name] = t
	}
	return f, nil
}

// Table implements Catalog.
func (f Fixture) Table(_ context.Context, name string) (*Table, error) {
	if t, ok := f[name]; ok {
		return t, nil
	}
	return nil, UnknownTable(name)
}

// UnknownTable is the error for a table that does not exist.
func UnknownTable(name string) error {
	return sqlerr.New(sqlerr.UndefinedTable, "table %q does not exist", name).
		WithHint("SHOW TABLES lists the tables")
}
