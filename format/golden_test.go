package format

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden with the current output")

// goldenCase renders items in one format; its output is compared with
// testdata/<name>.golden.
type goldenCase struct {
	name    string
	format  string
	columns []string
	keys    []string
	opts    Options
	items   []Item
}

func goldenCases() []goldenCase {
	items := fixtureItems()
	keys := []string{"pk", "sk"}
	defaults := NewOptions()
	expanded := NewOptions()
	expanded.Expanded = true
	custom := Options{NullText: "(null)", MissingText: "·", Footer: true, MaxWidth: 24}
	customExpanded := custom
	customExpanded.Expanded = true
	projection := []string{"pk", "z", "n", "absent", "s", "long"}
	return []goldenCase{
		{name: "table", format: "table", keys: keys, opts: defaults, items: items},
		{name: "table_expanded", format: "table", keys: keys, opts: expanded, items: items},
		{name: "table_columns", format: "table", columns: projection, keys: keys, opts: custom, items: items},
		{name: "table_columns_expanded", format: "table", columns: projection, keys: keys, opts: customExpanded, items: items},
		{name: "table_empty", format: "table", columns: []string{"pk", "sk"}, opts: defaults},
		{name: "table_empty_expanded", format: "table", columns: []string{"pk", "sk"}, opts: expanded},
		{name: "table_zero_options", format: "table", columns: []string{"pk", "z", "absent"}, items: items[:1]},
		{name: "csv", format: "csv", keys: keys, opts: defaults, items: items},
		{name: "csv_columns", format: "csv", columns: projection, opts: defaults, items: items},
		{name: "json", format: "json", keys: keys, items: items},
		{name: "json_columns", format: "json", columns: append(projection, "pk"), items: items},
		{name: "json_empty", format: "json", keys: keys},
		{name: "jsonl", format: "jsonl", keys: keys, items: items},
		{name: "ddbjson", format: "ddbjson", keys: keys, items: items},
	}
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w, err := New(tc.format, &buf, tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Begin(tc.columns, tc.keys); err != nil {
				t.Fatal(err)
			}
			for _, it := range tc.items {
				if err := w.Row(it); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.End(); err != nil {
				t.Fatal(err)
			}
			checkJSONOutput(t, tc.format, buf.Bytes())
			checkGolden(t, filepath.Join("testdata", tc.name+".golden"), buf.Bytes())
		})
	}
}

// checkJSONOutput checks that JSON formats produce valid JSON, whatever the
// golden file says.
func checkJSONOutput(t *testing.T, format string, out []byte) {
	t.Helper()
	switch format {
	case "json":
		if !json.Valid(out) {
			t.Errorf("json output is not valid JSON:\n%s", out)
		}
	case "jsonl", "ddbjson":
		for i, line := range strings.Split(strings.TrimSuffix(string(out), "\n"), "\n") {
			if !json.Valid([]byte(line)) {
				t.Errorf("%s line %d is not valid JSON: %s", format, i+1, line)
			}
		}
	}
}

// checkGolden compares got with the golden file at path, or rewrites the
// file when -update is set.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./format -run TestGolden -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (- want, + got; -update rewrites it):\n%s", path, lineDiff(string(want), string(got)))
	}
}
