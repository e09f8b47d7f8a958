package format

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// The token readers below each read one JSON token of an expected kind and
// say what was found instead when it is not there.

func decodeString(d *json.Decoder, what string) (string, error) {
	tok, err := next(d)
	if err != nil {
		return "", err
	}
	s, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("%s must be a JSON string, found %s", what, describeToken(tok, nil))
	}
	return s, nil
}

func decodeNumber(d *json.Decoder) (string, error) {
	tok, err := next(d)
	if err != nil {
		return "", err
	}
	switch tok := tok.(type) {
	case string:
		return tok, validateNumber(tok)
	case json.Number:
		return "", fmt.Errorf(`N values are JSON strings ({"N":"%s"}), found the bare number %s`, tok, tok)
	}
	return "", fmt.Errorf("N value must be a JSON string, found %s", describeToken(tok, nil))
}

func decodeBinary(d *json.Decoder, what string) ([]byte, error) {
	s, err := decodeString(d, what)
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil || strings.ContainsAny(s, "\r\n") {
		return nil, fmt.Errorf("%s value %q is not standard base64", what, truncateForError(s))
	}
	return b, nil
}

func decodeBool(d *json.Decoder, what string) (bool, error) {
	tok, err := next(d)
	if err != nil {
		return false, err
	}
	b, ok := tok.(bool)
	if !ok {
		return false, fmt.Errorf("%s must be true or false, found %s", what, describeToken(tok, nil))
	}
	return b, nil
}

// next reads the next token; running out of input inside the item is an
// error.
func next(d *json.Decoder) (json.Token, error) {
	tok, err := d.Token()
	if err == io.EOF {
		return nil, errors.New("unexpected end of input")
	}
	return tok, err
}

// expectDelim reads the next token and checks that it opens an object or
// array. want describes what was expected.
func expectDelim(d *json.Decoder, delim json.Delim, want string) error {
	tok, err := d.Token()
	if err == io.EOF {
		return fmt.Errorf("expected %s, found end of input", want)
	}
	if err != nil {
		return err
	}
	if tok != delim {
		return fmt.Errorf("expected %s, found %s", want, describeToken(tok, nil))
	}
	return nil
}

// describeToken names a token for an error message.
func describeToken(tok json.Token, err error) string {
	if err != nil {
		if err == io.EOF {
			return "end of input"
		}
		return err.Error()
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			return "an object"
		case '[':
			return "an array"
		}
		return fmt.Sprintf("%q", string(tok))
	case string:
		return "the string " + fmt.Sprintf("%q", truncateForError(tok))
	case json.Number:
		return "the number " + string(tok)
	case bool:
		return fmt.Sprintf("%t", tok)
	case nil:
		return "null"
	}
	return fmt.Sprint(tok)
}

// truncateForError shortens s so that an error message stays one readable
// line even for a megabyte of bad base64.
func truncateForError(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
