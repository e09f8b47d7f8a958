package parser

import (
	"testing"

	"github.com/ddbsql/ddbsql/sqlerr"
)

func TestParseCopy(t *testing.T) {
	runParseCases(t, []parseCase{
		{`COPY "Users" FROM 'users.csv'`, `(copy Users (from 'users.csv') (format csv))`},
		{`copy t from 'data/t.jsonl' with (format jsonl, upsert true)`, `(copy t (from 'data/t.jsonl') (format jsonl) (upsert))`},
		{`COPY t FROM 'a.csv' (FORMAT 'CSV', HEADER, DELIMITER ';', UPSERT false)`, `(copy t (from 'a.csv') (format csv) (delimiter ';'))`},
		{`COPY t FROM 'a.csv' (DELIMITER ',')`, `(copy t (from 'a.csv') (format csv))`},
		{`COPY t TO STDOUT (FORMAT ddbjson)`, `(copy t (to stdout) (format ddbjson))`},
		{`COPY t TO 'it''s.csv' WITH (HEADER false, DELIMITER '|')`, `(copy t (to 'it's.csv') (format csv) (header false) (delimiter '|'))`},
		{`COPY (SELECT a, b FROM t WHERE pk = 'x') TO 'out.json' (FORMAT json)`,
			`(copy (select (items a b) (from t) (where (= pk 'x'))) (to 'out.json') (format json))`},
		{`COPY "copy" TO stdout (format DDBJSON)`, `(copy copy (to stdout) (format ddbjson))`},
	})
}

func TestFormatCopy(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`copy t from 'f.csv'`, `COPY t FROM 'f.csv' (FORMAT csv)`},
		{`copy "Users" from 'f' with (upsert, format ddbjson)`, `COPY "Users" FROM 'f' (FORMAT ddbjson, UPSERT true)`},
		{`copy (select * from t) to stdout (format csv, header off, delimiter ';')`, `COPY (SELECT * FROM t) TO STDOUT (FORMAT csv, DELIMITER ';')`},
		{`copy (select * from t) to stdout (header off, delimiter ';')`, `COPY (SELECT * FROM t) TO STDOUT (FORMAT text, DELIMITER ';')`},
		{`COPY t TO STDOUT`, `COPY t TO STDOUT (FORMAT text)`},
		{`COPY t TO STDOUT WITH (FORMAT csv, HEADER true, DELIMITER ',')`, `COPY t TO STDOUT (FORMAT csv, HEADER true)`},
		{`COPY t TO STDOUT WITH CSV HEADER`, `COPY t TO STDOUT (FORMAT csv, HEADER true)`},
		{`COPY t TO STDOUT CSV`, `COPY t TO STDOUT (FORMAT csv)`},
		{`COPY t TO 'f.csv' WITH CSV DELIMITER AS '|'`, `COPY t TO 'f.csv' (FORMAT csv, HEADER false, DELIMITER '|')`},
		{`COPY t TO STDOUT (FORMAT text, HEADER, DELIMITER '|')`, `COPY t TO STDOUT (FORMAT text, HEADER true, DELIMITER '|')`},
		{"COPY t TO STDOUT (FORMAT text, DELIMITER '\t')", `COPY t TO STDOUT (FORMAT text)`},
		{`COPY t TO 'out.txt' (FORMAT text)`, `COPY t TO 'out.txt' (FORMAT text)`},
		{`COPY t TO STDOUT (DELIMITER ',')`, `COPY t TO STDOUT (FORMAT text, DELIMITER ',')`},
		{`copy "to" to 'x''y'`, `COPY "to" TO 'x''y' (FORMAT csv)`},
	} {
		s, err := ParseOne(tc.in)
		if err != nil {
			t.Errorf("ParseOne(%q): %v", tc.in, err)
			continue
		}
		if got := Format(s); got != tc.want {
			t.Errorf("Format(%q)\n got: %s\nwant: %s", tc.in, got, tc.want)
		}
		checkRoundTrip(t, s)
	}
}

func TestCopyErrors(t *testing.T) {
	for _, tc := range []struct {
		sql    string
		code   string
		column int
		msg    string
	}{
		{`COPY t FROM STDIN`, sqlerr.FeatureNotSupported, 13, `COPY FROM STDIN is not supported`},
		{`COPY t TO stdin`, sqlerr.SyntaxError, 11, `syntax error at or near "stdin": expected a quoted file name or STDOUT`},
		{`COPY t FROM ''`, sqlerr.SyntaxError, 13, `COPY needs a file name`},
		{`COPY (SELECT * FROM t) FROM 'f'`, sqlerr.SyntaxError, 24, `syntax error at or near "FROM": COPY (SELECT ...) can only export (TO); COPY FROM needs a table name`},
		{`COPY t TO 'f' (FORMAT xml)`, sqlerr.SyntaxError, 23, `syntax error at or near "xml": unknown COPY format; the formats are csv, text, json, jsonl and ddbjson`},
		{`COPY t TO 'f' (FORMAT)`, sqlerr.SyntaxError, 16, `syntax error at or near "FORMAT": FORMAT needs a value: csv, text, json, jsonl or ddbjson`},
		{`COPY t TO 'f' (QUOTE '"')`, sqlerr.SyntaxError, 16, `syntax error at or near "QUOTE": unknown COPY option; the options are FORMAT, HEADER, DELIMITER, UPSERT`},
		{`COPY t TO 'f' (HEADER maybe)`, sqlerr.SyntaxError, 23, `syntax error at or near "maybe": HEADER takes true or false`},
		{`COPY t TO 'f' (FORMAT csv, FORMAT json)`, sqlerr.SyntaxError, 28, `syntax error at or near "FORMAT": option FORMAT is given twice`},
		{`COPY t TO 'f' (UPSERT true)`, sqlerr.SyntaxError, 16, `syntax error at or near "UPSERT": UPSERT applies to COPY FROM only`},
		{`COPY t TO 'f' (FORMAT json, HEADER true)`, sqlerr.FeatureNotSupported, 29, `COPY option HEADER applies to FORMAT csv and text only`},
		{`COPY t FROM 'f' (FORMAT text)`, sqlerr.FeatureNotSupported, 1, `COPY FROM reads csv, json, jsonl and ddbjson; the text format is written only`},
		{`COPY t TO STDOUT BINARY`, sqlerr.FeatureNotSupported, 18, `COPY BINARY is not supported; the formats are csv, text, json, jsonl and ddbjson`},
		{`COPY t TO STDOUT (FORMAT text, DELIMITER '\')`, sqlerr.SyntaxError, 32, `syntax error at or near "DELIMITER": DELIMITER of the text format cannot be a backslash or a period`},
		{`COPY t FROM 'f' (HEADER false)`, sqlerr.FeatureNotSupported, 18, `COPY FROM needs a CSV header row: its names are the attributes each field is written to`},
		{`COPY t TO 'f' (DELIMITER ';;')`, sqlerr.SyntaxError, 26, `syntax error at or near "';;'": DELIMITER must be one character other than a double quote or a line break`},
		{`COPY t TO 'f' (DELIMITER x)`, sqlerr.SyntaxError, 16, `syntax error at or near "DELIMITER": DELIMITER needs a one-character string, e.g. DELIMITER ';'`},
		{`COPY t INTO 'f'`, sqlerr.SyntaxError, 8, `syntax error at or near "INTO": expected one of: "FROM", "TO"`},
	} {
		_, err := ParseOne(tc.sql)
		if err == nil {
			t.Errorf("ParseOne(%q) succeeded; want %s", tc.sql, tc.msg)
			continue
		}
		e := sqlerr.As(err)
		if e.Code != tc.code || e.Column != tc.column || e.Message != tc.msg {
			t.Errorf("ParseOne(%q):\n got %s col %d: %s\nwant %s col %d: %s", tc.sql, e.Code, e.Column, e.Message, tc.code, tc.column, tc.msg)
		}
	}
}
