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
		{`COPY t (pk, "Sort Key", "n:N") FROM stdin`, `(copy t (columns pk "Sort Key" "n:N") (from stdin) (format text) (header false))`},
		{`COPY t FROM STDIN csv header`, `(copy t (from stdin) (format csv))`},
		{`COPY t FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')`, `(copy t (from stdin) (format csv) (delimiter ';'))`},
		{`COPY t (a, b) FROM STDIN (FORMAT csv)`, `(copy t (columns a b) (from stdin) (format csv) (header false))`},
		{`COPY t (a) FROM 'f.csv' (HEADER true)`, `(copy t (columns a) (from 'f.csv') (format csv))`},
		{`COPY t FROM STDIN (FORMAT jsonl, UPSERT)`, `(copy t (from stdin) (format jsonl) (upsert))`},
		{`COPY t FROM 'f.txt' (FORMAT text, HEADER)`, `(copy t (from 'f.txt') (format text))`},
		{`copy "t" ( "a", "b" ) from stdin binary;`, `(copy t (columns a b) (from stdin) (format binary))`},
		{`COPY t FROM STDIN WITH BINARY`, `(copy t (from stdin) (format binary))`},
		{`COPY (SELECT a FROM t) TO STDOUT (FORMAT binary)`, `(copy (select (items a) (from t)) (to stdout) (format binary))`},
		{`COPY t FROM STDIN (FORMAT 'binary', UPSERT)`, `(copy t (from stdin) (format binary) (upsert))`},
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
		{`copy t from stdin (header)`, `COPY t FROM STDIN (FORMAT text, HEADER true)`},
		{`copy t (a, "B b") from stdin csv header`, `COPY t (a, "B b") FROM STDIN (FORMAT csv, HEADER true)`},
		{`copy t (a) from stdin (format csv, header false)`, `COPY t (a) FROM STDIN (FORMAT csv)`},
		{`copy t (a) from 'f' (format csv, header false)`, `COPY t (a) FROM 'f' (FORMAT csv, HEADER false)`},
		{`copy t from stdin (format ddbjson)`, `COPY t FROM STDIN (FORMAT ddbjson)`},
		{`copy t (a, b) from stdin binary`, `COPY t (a, b) FROM STDIN (FORMAT binary)`},
		{`copy t to stdout with (format BINARY)`, `COPY t TO STDOUT (FORMAT binary)`},
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
		{`COPY t FROM STDIN (FORMAT csv)`, sqlerr.FeatureNotSupported, 1, `COPY FROM in csv needs the attribute names: a header row (HEADER true) or a column list, COPY t (a, b) FROM ...`},
		{`COPY t FROM STDIN`, sqlerr.FeatureNotSupported, 1, `COPY FROM in text needs the attribute names: a header row (HEADER true) or a column list, COPY t (a, b) FROM ...`},
		{`COPY t (a, b) FROM STDIN (FORMAT jsonl)`, sqlerr.FeatureNotSupported, 1, `a column list applies to FORMAT csv and text only: the items of jsonl name their attributes`},
		{`COPY t (a, a) FROM STDIN`, sqlerr.SyntaxError, 12, `syntax error at or near "a": attribute a is named twice in the column list`},
		{`COPY t (a) TO STDOUT`, sqlerr.FeatureNotSupported, 9, `a column list applies to COPY FROM; export attributes with COPY (SELECT a, b FROM t) TO ...`},
		{`COPY t FROM STDOUT`, sqlerr.SyntaxError, 13, `syntax error at or near "STDOUT": expected a quoted file name or STDIN`},
		{`COPY t TO stdin`, sqlerr.SyntaxError, 11, `syntax error at or near "stdin": expected a quoted file name or STDOUT`},
		{`COPY t FROM ''`, sqlerr.SyntaxError, 13, `COPY needs a file name`},
		{`COPY (SELECT * FROM t) FROM 'f'`, sqlerr.SyntaxError, 24, `syntax error at or near "FROM": COPY (SELECT ...) can only export (TO); COPY FROM needs a table name`},
		{`COPY t TO 'f' (FORMAT xml)`, sqlerr.SyntaxError, 23, `syntax error at or near "xml": unknown COPY format; the formats are csv, text, binary, json, jsonl and ddbjson`},
		{`COPY t TO 'f' (FORMAT)`, sqlerr.SyntaxError, 16, `syntax error at or near "FORMAT": FORMAT needs a value: csv, text, binary, json, jsonl or ddbjson`},
		{`COPY t TO 'f' (QUOTE '"')`, sqlerr.SyntaxError, 16, `syntax error at or near "QUOTE": unknown COPY option; the options are FORMAT, HEADER, DELIMITER, UPSERT`},
		{`COPY t TO 'f' (HEADER maybe)`, sqlerr.SyntaxError, 23, `syntax error at or near "maybe": HEADER takes true or false`},
		{`COPY t TO 'f' (FORMAT csv, FORMAT json)`, sqlerr.SyntaxError, 28, `syntax error at or near "FORMAT": option FORMAT is given twice`},
		{`COPY t TO 'f' (UPSERT true)`, sqlerr.SyntaxError, 16, `syntax error at or near "UPSERT": UPSERT applies to COPY FROM only`},
		{`COPY t TO 'f' (FORMAT json, HEADER true)`, sqlerr.FeatureNotSupported, 29, `COPY option HEADER applies to FORMAT csv and text only`},
		{`COPY t FROM 'f' (FORMAT text)`, sqlerr.FeatureNotSupported, 1, `COPY FROM in text needs the attribute names: a header row (HEADER true) or a column list, COPY t (a, b) FROM ...`},
		{`COPY t FROM 'f' (FORMAT binary)`, sqlerr.FeatureNotSupported, 25, `binary COPY works only FROM STDIN / TO STDOUT over the wire protocol; files take FORMAT csv, text, json, jsonl or ddbjson`},
		{`COPY t TO 'f' BINARY`, sqlerr.FeatureNotSupported, 15, `binary COPY works only FROM STDIN / TO STDOUT over the wire protocol; files take FORMAT csv, text, json, jsonl or ddbjson`},
		{`COPY t FROM STDIN (FORMAT binary, HEADER)`, sqlerr.FeatureNotSupported, 35, `COPY option HEADER applies to FORMAT csv and text only`},
		{`COPY t TO STDOUT BINARY DELIMITER ';'`, sqlerr.FeatureNotSupported, 35, `COPY option DELIMITER applies to FORMAT csv and text only`},
		{`COPY t FROM STDIN CSV BINARY`, sqlerr.SyntaxError, 23, `syntax error at or near "BINARY": options CSV and BINARY conflict`},
		{`COPY t TO STDOUT (FORMAT text, DELIMITER '\')`, sqlerr.SyntaxError, 32, `syntax error at or near "DELIMITER": DELIMITER of the text format cannot be a backslash or a period`},
		{`COPY t FROM 'f' (HEADER false)`, sqlerr.FeatureNotSupported, 18, `COPY FROM in csv needs the attribute names: a header row (HEADER true) or a column list, COPY t (a, b) FROM ...`},
		{`COPY t TO 'f' (DELIMITER ';;')`, sqlerr.SyntaxError, 26, `syntax error at or near "';;'": DELIMITER must be one character other than a double quote or a line break`},
		{`COPY t TO 'f' (DELIMITER x)`, sqlerr.SyntaxError, 16, `syntax error at or near "DELIMITER": DELIMITER needs a one-character string, e.g. DELIMITER ';'`},
		{`COPY t INTO 'f'`, sqlerr.SyntaxError, 8, `syntax error at or near "INTO": expected one of: "(", "FROM", "TO"`},
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
