package format

import (
	"reflect"
	"testing"
)

func TestNewCell(t *testing.T) {
	for _, tc := range []struct {
		in     string
		max    int
		lines  []string
		widths []int
	}{
		{"abc", 0, []string{"abc"}, []int{3}},
		{"", 0, []string{""}, []int{0}},
		{"a\nbc\n", 0, []string{"a", "bc", ""}, []int{1, 2, 0}},
		{"a\tb", 0, []string{"a       b"}, []int{9}},
		{"12345678\tb", 0, []string{"12345678        b"}, []int{17}},
		{"x\r\x00\x7f", 0, []string{`x\r\x00\x7F`}, []int{11}},
		{"\u0085", 0, []string{`\u0085`}, []int{6}},
		{"bad\xffbyte", 0, []string{`bad\xFFbyte`}, []int{11}},
		{"世界", 0, []string{"世界"}, []int{4}},
		{"e\u0301", 0, []string{"e\u0301"}, []int{1}},
		{"😀!", 0, []string{"😀!"}, []int{3}},
		{"abcdefgh", 5, []string{"abcd…"}, []int{5}},
		{"abcde", 5, []string{"abcde"}, []int{5}},
		{"世界世界", 5, []string{"世界…"}, []int{5}},
		{"世界世界", 4, []string{"世…"}, []int{3}},
		{"long line\nok", 5, []string{"long…", "ok"}, []int{5, 2}},
	} {
		c := newCell(tc.in, tc.max, false)
		if !reflect.DeepEqual(c.lines, tc.lines) || !reflect.DeepEqual(c.widths, tc.widths) {
			t.Errorf("newCell(%q, %d) = %q %v, want %q %v", tc.in, tc.max, c.lines, c.widths, tc.lines, tc.widths)
		}
	}
}

func TestRuneWidth(t *testing.T) {
	for r, want := range map[rune]int{
		'a': 1, 'é': 1, '\u0301': 0, '\u200d': 0, '世': 2, 'ア': 2, 'ｱ': 1, '한': 2,
		'Ａ': 2, '😀': 2, '🚀': 2, 'Ω': 1, '→': 1, 0x20000: 2,
	} {
		if got := runeWidth(r); got != want {
			t.Errorf("runeWidth(%U) = %d, want %d", r, got, want)
		}
	}
	for i := 1; i < len(wideRanges); i++ {
		if wideRanges[i-1][1] >= wideRanges[i][0] || wideRanges[i][0] > wideRanges[i][1] {
			t.Errorf("wideRanges not sorted at %d: %U", i, wideRanges[i][0])
		}
	}
}
