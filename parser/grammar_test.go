package parser

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// goldenGrammar is the grammar in EBNF, kept in the repository so that
// grammar changes show up in review.
var goldenGrammar = filepath.Join("..", "testdata", "grammar.ebnf")

func TestGrammarGolden(t *testing.T) {
	got := grammar.String() + "\n"
	if *update {
		if err := os.MkdirAll(filepath.Dir(goldenGrammar), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenGrammar, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(goldenGrammar)
	if err != nil {
		t.Fatalf("%v (run go test ./parser -run TestGrammarGolden -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the grammar differs from %s; if the change is intended, run\n\tgo test ./parser -run TestGrammarGolden -update\nand review the diff.\n\ngot:\n%s", goldenGrammar, got)
	}
}

// TestKeywordsCoverGrammar checks that every word the grammar matches is
// listed in keywords.go, so that Format quotes identifiers spelt like one.
func TestKeywordsCoverGrammar(t *testing.T) {
	ebnf := grammar.String()
	for i := 0; i < len(ebnf); i++ {
		if ebnf[i] != '"' {
			continue
		}
		j := i + 1
		for j < len(ebnf) && ebnf[j] != '"' {
			j++
		}
		word := ebnf[i+1 : j]
		i = j
		if word != "" && isIdentStart(word[0]) && !isKeyword(word) {
			t.Errorf("grammar word %q is missing from keywords.go", word)
		}
	}
	for w := range contextualWords {
		if reservedWords[w] {
			t.Errorf("%q is both reserved and contextual", w)
		}
	}
}
