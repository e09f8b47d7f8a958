package format

import (
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// csvReader reads the csv format. The header row names the attributes; a
// name may end in a type, "price:N", which fixes how that column's fields
// are read:
//
//	S        the field as it is
//	N        a number DynamoDB can store, kept exactly as written
//	B        standard base64
//	BOOL     true or false (any case)
//	NULL     NULL, whatever the field holds
//	M, L     a plain JSON object or array (mapped as the json format maps it)
//	SS       a JSON array of strings
//	NS       a JSON array of numbers (or of strings holding numbers)
//	BS       a JSON array of base64 strings
//
// A column without a type infers each field's: a number in JSON's spelling
// that DynamoDB can store is N ("12", "-1.5e3"; not "007", "+1" or ".5",
// which stay strings, so that codes with leading zeros survive), true and
// false are BOOL, anything else is S. An empty field, typed or not, leaves
// the attribute out of the item: CSV cannot tell an empty string from no
// value. ReadOptions.Columns, when given, name the attributes instead of
// the header (which is then skipped with SkipHeader, or absent).
type csvReader struct {
	in    *csv.Reader
	cols  []csvColumn
	at    int
	ready bool
	// skip is set when a header row is to be read and ignored.
	skip bool
}

// csvColumn is one header field: the attribute name and its type ("" to
// infer).
type csvColumn struct {
	name string
	typ  string
}

// csvTypes are the type suffixes a header may carry.
var csvTypes = map[string]bool{"S": true, "N": true, "B": true, "BOOL": true, "NULL": true,
	"M": true, "L": true, "SS": true, "NS": true, "BS": true}

func newCSVReader(r io.Reader, opts ReadOptions) (*csvReader, error) {
	in := csv.NewReader(r)
	if opts.Delimiter != 0 {
		in.Comma = opts.Delimiter
	}
	in.ReuseRecord = true
	cr := &csvReader{in: in}
	if len(opts.Columns) > 0 {
		cols, err := parseColumns(opts.Columns)
		if err != nil {
			return nil, err
		}
		cr.cols, cr.ready, cr.skip = cols, true, opts.SkipHeader
		in.FieldsPerRecord = len(cols)
	}
	return cr, nil
}

func (r *csvReader) Line() int { return r.at }

func (r *csvReader) Next() (Item, error) {
	if !r.ready {
		if err := r.header(); err != nil {
			return nil, err
		}
	}
	if r.skip {
		r.skip = false
		r.in.FieldsPerRecord = 0 // the header may have other fields
		if _, err := r.in.Read(); err != nil {
			if err == io.EOF {
				return nil, io.EOF
			}
			return nil, csvError(err)
		}
		r.in.FieldsPerRecord = len(r.cols)
	}
	rec, err := r.in.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		return nil, csvError(err)
	}
	r.at, _ = r.in.FieldPos(0)
	it := make(Item, len(rec))
	for i, f := range rec {
		if f == "" {
			continue
		}
		v, err := r.cols[i].value(f)
		if err != nil {
			return nil, lineError(r.at, atKey(r.cols[i].name, err))
		}
		it[r.cols[i].name] = v
	}
	return it, nil
}

// header reads the header row.
func (r *csvReader) header() error {
	rec, err := r.in.Read()
	if err == io.EOF {
		return io.EOF // an empty file holds no items
	}
	if err != nil {
		return csvError(err)
	}
	r.ready = true
	r.at = 1
	if len(rec) > 0 {
		rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // a byte order mark from a spreadsheet
	}
	cols, err := parseColumns(rec)
	if err != nil {
		return lineError(1, err)
	}
	r.cols = cols
	return nil
}

// parseColumns reads the attribute names of a header row or a column
// list, each with an optional type suffix ("price:N").
func parseColumns(names []string) ([]csvColumn, error) {
	cols := make([]csvColumn, 0, len(names))
	seen := make(map[string]bool, len(names))
	for i, h := range names {
		col := csvColumn{name: h}
		if j := strings.LastIndexByte(h, ':'); j > 0 && csvTypes[strings.ToUpper(h[j+1:])] {
			col = csvColumn{name: h[:j], typ: strings.ToUpper(h[j+1:])}
		}
		if col.name == "" {
			return nil, fmt.Errorf("header field %d is empty; each column needs an attribute name", i+1)
		}
		if seen[col.name] {
			return nil, fmt.Errorf("the header names attribute %q twice", col.name)
		}
		seen[col.name] = true
		cols = append(cols, col)
	}
	return cols, nil
}

// csvError turns encoding/csv's errors ("record on line 3: wrong number of
// fields") into ones that start with the line.
func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return lineError(pe.Line, pe.Err)
	}
	return err
}

// value converts one non-empty field.
func (c csvColumn) value(f string) (types.AttributeValue, error) {
	switch c.typ {
	case "":
		switch {
		case isJSONNumber(f) && validateNumber(f) == nil:
			return &types.AttributeValueMemberN{Value: f}, nil
		case strings.EqualFold(f, "true"):
			return &types.AttributeValueMemberBOOL{Value: true}, nil
		case strings.EqualFold(f, "false"):
			return &types.AttributeValueMemberBOOL{Value: false}, nil
		}
		return &types.AttributeValueMemberS{Value: f}, nil
	case "S":
		return &types.AttributeValueMemberS{Value: f}, nil
	case "N":
		if err := validateNumber(f); err != nil {
			return nil, err
		}
		return &types.AttributeValueMemberN{Value: f}, nil
	case "B":
		b, err := base64.StdEncoding.Strict().DecodeString(f)
		if err != nil {
			return nil, fmt.Errorf("B value %q is not standard base64", truncateForError(f))
		}
		return &types.AttributeValueMemberB{Value: b}, nil
	case "BOOL":
		switch strings.ToLower(f) {
		case "true":
			return &types.AttributeValueMemberBOOL{Value: true}, nil
		case "false":
			return &types.AttributeValueMemberBOOL{Value: false}, nil
		}
		return nil, fmt.Errorf("BOOL value %q is not true or false", truncateForError(f))
	case "NULL":
		return &types.AttributeValueMemberNULL{Value: true}, nil
	}
	d := json.NewDecoder(strings.NewReader(f))
	d.UseNumber()
	v, err := decodeTypedJSON(d, c.typ)
	if err == nil {
		if tok, terr := d.Token(); terr != io.EOF {
			err = fmt.Errorf("%s after the %s value", describeToken(tok, terr), c.typ)
		}
	}
	return v, err
}

// decodeTypedJSON reads the JSON form of an M, L, SS, NS or BS field.
func decodeTypedJSON(d *json.Decoder, typ string) (types.AttributeValue, error) {
	switch typ {
	case "M", "L":
		v, err := decodePlain(d, 1)
		if err != nil {
			return nil, err
		}
		_, isM := v.(*types.AttributeValueMemberM)
		_, isL := v.(*types.AttributeValueMemberL)
		if typ == "M" && !isM {
			return nil, errors.New("M value must be a JSON object")
		}
		if typ == "L" && !isL {
			return nil, errors.New("L value must be a JSON array")
		}
		return v, nil
	case "SS":
		ss, err := decodeSet(d, "SS", func(d *json.Decoder) (string, string, error) {
			s, err := decodeString(d, "SS element")
			return s, s, err
		})
		return &types.AttributeValueMemberSS{Value: ss}, err
	case "NS":
		ns, err := decodeSet(d, "NS", func(d *json.Decoder) (string, string, error) {
			tok, err := next(d)
			if err != nil {
				return "", "", err
			}
			var s string
			switch tok := tok.(type) {
			case json.Number:
				s = string(tok)
			case string:
				s = tok
			default:
				return "", "", fmt.Errorf("NS element must be a number, found %s", describeToken(tok, nil))
			}
			if err := validateNumber(s); err != nil {
				return "", "", err
			}
			dec, _ := parseDecimal(s)
			return s, dec.key(), nil
		})
		return &types.AttributeValueMemberNS{Value: ns}, err
	case "BS":
		bs, err := decodeSet(d, "BS", func(d *json.Decoder) ([]byte, string, error) {
			b, err := decodeBinary(d, "BS element")
			return b, string(b), err
		})
		return &types.AttributeValueMemberBS{Value: bs}, err
	}
	return nil, fmt.Errorf("unknown type %s", typ)
}
