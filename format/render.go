package format

import (
	"strconv"
	"strings"
)

// The renderers follow psql's aligned output with its default border style
// (print.c, border 1), with three differences. psql pads header lines and
// some data lines with trailing spaces, which are dropped here so that
// output and golden files carry no invisible whitespace (a cell's own
// trailing spaces are kept). psql ends a table with an empty line; here the
// output ends after the footer and spacing is the front end's business. And
// psql aligns a whole column by its SQL type, while DynamoDB attributes have
// no declared type, so alignment is per cell: numbers right, the rest left.

// line builds one output line. Padding is held back until more text follows,
// which is how trailing padding disappears.
type line struct {
	b   []byte
	pad int
}

func (l *line) space(n int) { l.pad += n }

func (l *line) text(s string) {
	if s == "" {
		return
	}
	for ; l.pad > 0; l.pad-- {
		l.b = append(l.b, ' ')
	}
	l.b = append(l.b, s...)
}

func (l *line) end() {
	l.pad = 0
	l.b = append(l.b, '\n')
}

// renderAligned prints the normal table:
//
//	 pk | n  | note
//	----+----+-------
//	 a  |  1 | one  +
//	    |    | two
//	(1 row)
//
// Headers are centered, strings left-aligned, numbers right-aligned, and a
// multi-line cell marks each continued line with "+" in the space before the
// next column.
func renderAligned(headers []cell, rows [][]cell, footer bool) []byte {
	widths := make([]int, len(headers))
	headerLines := 0
	for j, h := range headers {
		widths[j] = h.maxLineWidth()
		headerLines = max(headerLines, len(h.lines))
	}
	for _, row := range rows {
		for j, c := range row {
			widths[j] = max(widths[j], c.maxLineWidth())
		}
	}
	var l line
	for n := 0; n < headerLines; n++ {
		for j, h := range headers {
			if j > 0 {
				l.text("|")
			}
			l.space(1)
			if n >= len(h.lines) {
				l.space(widths[j] + 1)
				continue
			}
			gap := widths[j] - h.widths[n]
			l.space(gap / 2)
			l.text(h.lines[n])
			l.space((gap + 1) / 2)
			continueMark(&l, n < len(h.lines)-1)
		}
		l.end()
	}
	l.text("-")
	for j, w := range widths {
		if j > 0 {
			l.text("-+-")
		}
		l.text(strings.Repeat("-", w))
	}
	l.text("-")
	l.end()
	for _, row := range rows {
		height := 1
		for _, c := range row {
			height = max(height, len(c.lines))
		}
		for n := 0; n < height; n++ {
			for j, c := range row {
				if j > 0 {
					l.text("|")
				}
				l.space(1)
				switch {
				case n >= len(c.lines):
					l.space(widths[j])
				case c.right:
					l.space(widths[j] - c.widths[n])
					l.text(c.lines[n])
				default:
					l.text(c.lines[n])
					l.space(widths[j] - c.widths[n])
				}
				continueMark(&l, n < len(c.lines)-1)
			}
			l.end()
		}
	}
	if footer {
		l.text(rowCount(len(rows)))
		l.end()
	}
	return l.b
}

// continueMark ends a cell's line: "+" when the cell goes on on the next
// line, else the space before the column separator.
func continueMark(l *line, more bool) {
	if more {
		l.text("+")
	} else {
		l.space(1)
	}
}

// renderExpanded prints psql's expanded display (\x):
//
//	-[ RECORD 1 ]-----
//	pk   | a
//	n    | 1
//	note | one       +
//	     | two
//
// Column names are left-aligned in a column of their own and values follow
// unaligned. The dashes of a record line reach the width of the widest
// value, as psql draws them. Like psql, expanded display prints a footer
// only for an empty result.
func renderExpanded(headers []cell, rows [][]cell, footer bool) []byte {
	var l line
	if len(rows) == 0 {
		if footer {
			l.text(rowCount(0))
			l.end()
		}
		return l.b
	}
	hwidth, dwidth, multiline := 0, 0, false
	for _, h := range headers {
		hwidth = max(hwidth, h.maxLineWidth())
	}
	for _, row := range rows {
		for _, c := range row {
			dwidth = max(dwidth, c.maxLineWidth())
			multiline = multiline || len(c.lines) > 1
		}
	}
	// As psql: the record line is at least as wide as its label, and a
	// column for the "+" marks is reserved when any value has several lines.
	sep := 3
	if multiline {
		sep++
	}
	recordWidth := len(strconv.Itoa(len(rows))) + 12
	if hwidth+sep+dwidth < recordWidth {
		dwidth = recordWidth - hwidth - sep
	}
	for r, row := range rows {
		recordLine(&l, r+1, hwidth, dwidth)
		for j, c := range row {
			h := headers[j]
			hn, dn := 0, 0
			hdone, ddone := false, false
			for !hdone || !ddone {
				if hdone {
					l.space(hwidth + 1)
				} else {
					l.text(h.lines[hn])
					l.space(hwidth - h.widths[hn])
					hn++
					hdone = hn == len(h.lines)
					continueMark(&l, !hdone)
				}
				l.text("|")
				if !ddone {
					l.space(1)
					l.text(c.lines[dn])
					dn++
					ddone = dn == len(c.lines)
					if !ddone {
						l.space(dwidth - c.widths[dn-1])
						l.text("+")
					}
				}
				l.end()
			}
		}
	}
	return l.b
}

// recordLine prints "-[ RECORD n ]" followed by dashes, with a "+" over the
// column separator when the label is short enough to leave room for it,
// exactly as psql's print_aligned_vertical_line does for border 1.
func recordLine(l *line, record, hwidth, dwidth int) {
	label := "-[ RECORD " + strconv.Itoa(record) + " ]"
	l.text(label)
	used := len(label)
	if used < hwidth {
		l.text(strings.Repeat("-", hwidth-used))
	}
	rest := used - hwidth
	for _, mark := range []string{"-", "+", "-"} {
		if rest <= 0 {
			l.text(mark)
		}
		rest--
	}
	rest = max(rest, 0)
	if rest < dwidth {
		l.text(strings.Repeat("-", dwidth-rest))
	}
	l.end()
}

func rowCount(n int) string {
	if n == 1 {
		return "(1 row)"
	}
	return "(" + strconv.Itoa(n) + " rows)"
}
