package repl

import (
	"reflect"
	"testing"

	"github.com/ddbsql/ddbsql/parser"
)

func TestSubstitute(t *testing.T) {
	vars := map[string]string{"t": "Users", "id": "it's", "n": "5"}
	cases := []struct {
		in   string
		st   lexState
		want string
		end  lexState
	}{
		{`SELECT :n FROM :"t" WHERE k = :'id'`, inText, `SELECT 5 FROM "Users" WHERE k = 'it''s'`, inText},
		{`SELECT ':n', ":n", :missing, a::b`, inText, `SELECT ':n', ":n", :missing, a::b`, inText},
		{`SELECT :n -- :n`, inText, `SELECT 5 -- :n`, inText},
		{`/* :n */ :n /* :n`, inText, `/* :n */ 5 /* :n`, inComment},
		{`still :n' :n`, inString, `still :n' 5`, inText},
		{`x :n */ :n`, inComment, `x :n */ 5`, inText},
		{`:'bad name'`, inText, `:'bad name'`, inText},
	}
	for _, c := range cases {
		got, end := substitute(c.in, c.st, vars)
		if got != c.want || end != c.end {
			t.Errorf("substitute(%q, %d) = %q, %d; want %q, %d", c.in, c.st, got, end, c.want, c.end)
		}
	}
}

func TestMetaArgs(t *testing.T) {
	got, err := metaArgs(` a 'b c' "D e" 'it''s'  `)
	if err != nil || !reflect.DeepEqual(got, []string{"a", "b c", "D e", "it's"}) {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := metaArgs(`'open`); err == nil {
		t.Fatal("unterminated quote accepted")
	}
}

// TestHelpExamples checks that every example \h shows parses.
func TestHelpExamples(t *testing.T) {
	for _, h := range statementHelps {
		if _, err := parser.ParseOne(h.example); err != nil {
			t.Errorf("%s example %q: %v", h.name, h.example, err)
		}
	}
}

func TestCompletionWords(t *testing.T) {
	if got := wordStart(`SELECT * FROM "My Ta`); got != len(`SELECT * FROM `) {
		t.Errorf("wordStart in a quoted name: %d", got)
	}
	got := asSuffixes("sel", keywordsLike("sel"))
	if len(got) != 1 || string(got[0]) != "ect " {
		t.Errorf("keyword completion: %q", got)
	}
	got = asSuffixes("Ord", []string{"Orders", "orders2", "Other"})
	if len(got) != 1 || string(got[0]) != "ers" {
		t.Errorf("table completion: %q", got)
	}
	if !metaIs(`\i`, `\i`, `\o`) || metaIs(`\ix`, `\i`) {
		t.Error("metaIs")
	}
}
