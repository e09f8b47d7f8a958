package format

import (
	"strings"
	"testing"
)

// lineDiff returns a line diff of want and got: unchanged lines prefixed
// with two spaces, removed with "- " and added with "+ ". Lines are quoted
// when they differ only in trailing whitespace, so the difference shows.
// It is a plain longest-common-subsequence diff, fine for golden files of a
// few hundred lines.
func lineDiff(want, got string) string {
	a := strings.SplitAfter(want, "\n")
	b := strings.SplitAfter(got, "\n")
	// lcs[i][j] is the length of the longest common subsequence of a[i:], b[j:].
	lcs := make([][]int, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	show := func(prefix, line string) {
		out.WriteString(prefix)
		trimmed := strings.TrimSuffix(line, "\n")
		if strings.TrimRight(trimmed, " \t") != trimmed || !strings.HasSuffix(line, "\n") {
			out.WriteString(strings.TrimSuffix(quote(line), "\n"))
		} else {
			out.WriteString(trimmed)
		}
		out.WriteString("\n")
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			show("  ", a[i])
			i++
			j++
		case i < len(a) && (j == len(b) || lcs[i+1][j] >= lcs[i][j+1]):
			show("- ", a[i])
			i++
		default:
			show("+ ", b[j])
			j++
		}
	}
	return out.String()
}

func quote(s string) string {
	return "«" + strings.ReplaceAll(s, "\n", `\n`) + "»"
}

func TestLineDiff(t *testing.T) {
	got := lineDiff("a\nb\nc\n", "a\nB\nc\nd\n")
	want := "  a\n- b\n+ B\n  c\n+ d\n  «»\n"
	if got != want {
		t.Errorf("lineDiff:\n%s\nwant:\n%s", got, want)
	}
}
