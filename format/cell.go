package format

import (
	"strings"
	"unicode/utf8"
)

// cell is one table cell laid out for display: its text split into lines,
// each line's display width, and whether it is right-aligned (numbers are).
type cell struct {
	lines  []string
	widths []int
	right  bool
}

// newCell lays out text the way psql does: a newline starts a new line
// (shown with a "+" continuation mark), a tab becomes spaces up to the next
// multiple of 8, a carriage return shows as \r, other control characters
// and bytes that are not UTF-8 as \xHH, and C1 controls as \u00HH. Each line
// is then cut to maxWidth display columns (0 = no limit), ending with "…".
func newCell(text string, maxWidth int, right bool) cell {
	c := cell{right: right}
	if plainASCII(text) {
		c.lines = []string{text}
		c.widths = []int{len(text)}
	} else {
		var b strings.Builder
		w := 0
		for i := 0; i < len(text); {
			r, size := utf8.DecodeRuneInString(text[i:])
			switch {
			case r == '\n':
				c.lines = append(c.lines, b.String())
				c.widths = append(c.widths, w)
				b.Reset()
				w = 0
			case r == '\t':
				n := 8 - w%8
				b.WriteString("        "[:n])
				w += n
			case r == '\r':
				b.WriteString(`\r`)
				w += 2
			case r < 0x20 || r == 0x7F || (r == utf8.RuneError && size == 1):
				b.WriteString(`\x`)
				b.WriteByte(hexUpper[text[i]>>4])
				b.WriteByte(hexUpper[text[i]&0xF])
				w += 4
			case r >= 0x80 && r < 0xA0:
				b.WriteString(`\u00`)
				b.WriteByte(hexUpper[r>>4])
				b.WriteByte(hexUpper[r&0xF])
				w += 6
			default:
				b.WriteString(text[i : i+size])
				w += runeWidth(r)
			}
			i += size
		}
		c.lines = append(c.lines, b.String())
		c.widths = append(c.widths, w)
	}
	if maxWidth > 0 {
		for i, w := range c.widths {
			if w > maxWidth {
				c.lines[i], c.widths[i] = cut(c.lines[i], maxWidth)
			}
		}
	}
	return c
}

const hexUpper = "0123456789ABCDEF"

// plainASCII reports whether s is printable ASCII only, which needs no
// layout work and whose width is its length.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7F {
			return false
		}
	}
	return true
}

// cut shortens a display line to at most max columns, the last being "…".
func cut(line string, max int) (string, int) {
	w := 0
	for i, r := range line {
		rw := runeWidth(r)
		if w+rw > max-1 {
			return line[:i] + "…", w + 1
		}
		w += rw
	}
	return line, w
}

// maxLineWidth returns the width of the widest line of c.
func (c cell) maxLineWidth() int {
	m := 0
	for _, w := range c.widths {
		m = max(m, w)
	}
	return m
}
