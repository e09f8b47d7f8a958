package format

import (
	"errors"
	"strconv"
	"unicode"
)

// valueError is an error in one value of an item, located by its attribute
// path: "info.tags[2]" names element 2 of the list in map key "tags" of the
// top-level attribute "info". Names that are not plain words are quoted
// ("\"a.b\"[0]"), so a path is never ambiguous.
type valueError struct {
	path string
	msg  string
}

func (e *valueError) Error() string {
	if e.path == "" {
		return e.msg
	}
	return "attribute " + e.path + ": " + e.msg
}

// atKey locates err under map key or attribute name k.
func atKey(k string, err error) error {
	ve := asValueError(err)
	seg := pathName(k)
	switch {
	case ve.path == "":
		ve.path = seg
	case ve.path[0] == '[':
		ve.path = seg + ve.path
	default:
		ve.path = seg + "." + ve.path
	}
	return ve
}

// atIndex locates err under list or set element i.
func atIndex(i int, err error) error {
	ve := asValueError(err)
	seg := "[" + strconv.Itoa(i) + "]"
	switch {
	case ve.path == "", ve.path[0] == '[':
		ve.path = seg + ve.path
	default:
		ve.path = seg + "." + ve.path
	}
	return ve
}

func asValueError(err error) *valueError {
	var ve *valueError
	if errors.As(err, &ve) {
		return ve
	}
	return &valueError{msg: err.Error()}
}

// pathName spells one name of a path: as is when it is a plain word, quoted
// otherwise.
func pathName(k string) string {
	if k == "" {
		return `""`
	}
	for _, r := range k {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_' && r != '-' && r != '#' && r != ':' {
			return strconv.Quote(k)
		}
	}
	return k
}
