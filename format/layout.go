package format

import (
	"errors"
	"slices"
)

// layout is the ordered column list of one result. With explicit columns it
// is fixed at Begin; with "every attribute" it is open and grows as rows
// reveal attribute names, so a row may be shorter than the final layout:
// columns past its end were unknown when it arrived and are missing from it.
type layout struct {
	cols    []string
	open    bool
	seen    map[string]struct{}
	scratch []string
}

// begin sets up the layout (see Writer.Begin). unique drops repeated
// explicit columns, for formats whose rows are objects with unique keys.
func (l *layout) begin(columns, keyColumns []string, unique bool) {
	if len(columns) > 0 {
		l.cols = slices.Clone(columns)
		if unique {
			l.cols = dedupe(l.cols)
		}
		return
	}
	l.open = true
	l.seen = make(map[string]struct{})
	for _, k := range keyColumns {
		l.add(k)
	}
}

func (l *layout) add(name string) {
	if _, ok := l.seen[name]; !ok {
		l.seen[name] = struct{}{}
		l.cols = append(l.cols, name)
	}
}

// observe appends it's attributes that the open layout does not hold yet,
// sorted by name. Nil values count as missing.
func (l *layout) observe(it Item) {
	if !l.open || len(it) == 0 {
		return
	}
	l.scratch = l.scratch[:0]
	for k, v := range it {
		if _, ok := l.seen[k]; !ok && v != nil {
			l.scratch = append(l.scratch, k)
		}
	}
	slices.Sort(l.scratch)
	for _, k := range l.scratch {
		l.add(k)
	}
}

func dedupe(cols []string) []string {
	out := cols[:0]
	for i, c := range cols {
		if !slices.Contains(cols[:i], c) {
			out = append(out, c)
		}
	}
	return out
}

// lifecycle enforces the Begin, Row…, End order shared by every writer and
// keeps the first output error, after which every call fails with it.
type lifecycle struct {
	stage int // 0 before Begin, 1 between Begin and End, 2 after End
	err   error
}

var (
	errNotBegun = errors.New("format: Row or End called before Begin")
	errBegun    = errors.New("format: Begin called twice")
	errEnded    = errors.New("format: writer used after End")
)

// enter checks that op ("begin", "row" or "end") may run now and advances
// the stage.
func (lc *lifecycle) enter(op string) error {
	if lc.err != nil {
		return lc.err
	}
	switch {
	case lc.stage == 2:
		return errEnded
	case op == "begin" && lc.stage != 0:
		return errBegun
	case op != "begin" && lc.stage == 0:
		return errNotBegun
	}
	switch op {
	case "begin":
		lc.stage = 1
	case "end":
		lc.stage = 2
	}
	return nil
}

// fail records an output error and returns it.
func (lc *lifecycle) fail(err error) error {
	if err != nil && lc.err == nil {
		lc.err = err
	}
	return err
}
