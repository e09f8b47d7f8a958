package clienttest

import (
	"fmt"
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestPsycopg2 runs testdata/psycopg2_client.py: parameters interpolated
// by the client into simple Queries, writes, Python types of the values,
// error classes with pgcode, and the implicit transaction psycopg2 opens
// outside autocommit (ReadyForQuery 'T', then COMMIT or ROLLBACK).
func TestPsycopg2(t *testing.T) {
	python := requirePythonModule(t, "psycopg2", "python3-psycopg2")
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		srv := startServer(t, b)
		scratch := srv.NewScratch(t)
		got := runJSON(t, t.TempDir(), nil, python, testdataPath(t, "psycopg2_client.py"),
			srv.URL(), scratch, flag(b.Caps.Transactions))
		want := []string{
			`{"check":"connect","server_version":true,"encoding":"UTF8"}`,
			`{"check":"select","rows":[["u001","Rosa Chen","rosa.chen1@example.com"]],"columns":["userId","name","email"]}`,
			`{"check":"types","values":[` + productP001Python("memoryview") + `]}`,
			`{"check":"count","value":{"type":"int","value":33}}`,
			`{"check":"insert","rowcount":1,"status":"INSERT 0 1"}`,
			`{"check":"update","rowcount":1}`,
			`{"check":"readBack","row":[{"type":"str","value":"a"},{"type":"Decimal","value":"1.25"},{"type":"str","value":"updated"}]}`,
			`{"check":"delete","rowcount":1}`,
			`{"check":"afterDelete","rows":[]}`,
			`{"check":"error","sql":"SELECT * FROM NoSuchTable WHERE id = 'x'","pgcode":"42P01","cls":"UndefinedTable","expected_class":true}`,
			`{"check":"error","sql":"SELECT * FORM Users","pgcode":"42601","cls":"SyntaxError","expected_class":true}`,
			`{"check":"implicitBegin","rows":[["Chloé Larsen"]],"in_transaction":true}`,
			`{"check":"commitRead","idle":true}`,
		}
		if b.Caps.Transactions {
			want = append(want,
				`{"check":"txWrite","in_transaction":true}`,
				`{"check":"txReadBack","rows":[["t1","1"],["t2","2"]]}`,
			)
		}
		expectLines(t, got, want...)
	})
}

// TestPsycopg3 runs testdata/psycopg3_client.py: parameters bound on the
// server (extended protocol, text with OID 0, small ints as binary int2),
// the statement prepared after five executions, Python types, error
// classes, conn.cancel() from a thread during pg_sleep (QueryCanceled),
// cursor.copy() writing COPY ... FROM STDIN (text rows, csv, CopyFail),
// and the transaction psycopg opens outside autocommit.
func TestPsycopg3(t *testing.T) {
	python := requirePythonModule(t, "psycopg", "python3-psycopg")
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		srv := startServer(t, b)
		scratch := srv.NewScratch(t)
		got := runJSON(t, t.TempDir(), nil, python, testdataPath(t, "psycopg3_client.py"),
			srv.URL(), scratch, flag(b.Caps.Transactions))
		users := sampleStrings(t, "Users", "userId", "name")
		want := []string{
			`{"check":"connect","status":"IDLE"}`,
			`{"check":"select","rows":[["u001","Rosa Chen","rosa.chen1@example.com"]],"columns":["userId","name","email"]}`,
			`{"check":"types","values":[` + productP001Python("bytes") + `]}`,
			`{"check":"count","value":{"type":"int","value":33}}`,
			`{"check":"binaryParams","rows":[` +
				`[{"type":"str","value":"g1"},{"type":"str","value":"u031"},{"type":"Decimal","value":"98319"}],` +
				`[{"type":"str","value":"g1"},{"type":"str","value":"u030"},{"type":"Decimal","value":"97722"}],` +
				`[{"type":"str","value":"g1"},{"type":"str","value":"u035"},{"type":"Decimal","value":"97618"}]]}`,
		}
		for i := 1; i <= 7; i++ {
			want = append(want, jsonLine("prepared", "i", i, "name", users[userID(i)]))
		}
		want = append(want,
			`{"check":"preparedCache","names":["_pg3_0"]}`,
			`{"check":"insert","rowcount":1,"status":"INSERT 0 1"}`,
			`{"check":"update","rowcount":1}`,
			`{"check":"readBack","row":[{"type":"str","value":"a"},{"type":"Decimal","value":"1.25"},{"type":"str","value":"updated"},{"type":"bool","value":true}]}`,
			`{"check":"delete","rowcount":1}`,
			`{"check":"error","sql":"SELECT * FROM NoSuchTable WHERE id = %s","sqlstate":"42P01","cls":"UndefinedTable","expected_class":true}`,
			`{"check":"error","sql":"SELECT * FORM Users WHERE userId = %s","sqlstate":"42601","cls":"SyntaxError","expected_class":true}`,
			jsonLine("error", "sql", "INSERT INTO "+scratch+" (id) VALUES (%s)", "sqlstate", "23505", "cls", "UniqueViolation", "expected_class", true),
			`{"check":"cancel","sqlstate":"57014"}`,
			`{"check":"afterCancel","name":"Rosa Smith"}`,
			`{"check":"copyIn","rowcount":2,"status":"COPY 2"}`,
			`{"check":"copyReadBack","rows":[["c1","1","tab\tone\nline"],["c2",null,"two"],["c3","3","three, quoted"]]}`,
			`{"check":"copyFail","cls":"QueryCanceled","sqlstate":"57014","status":"IDLE"}`,
			`{"check":"afterCopyFail","value":3}`,
			`{"check":"implicitBegin","rows":[["Chloé Larsen"]],"status":"INTRANS"}`,
			`{"check":"commitRead","status":"IDLE"}`,
		)
		if b.Caps.Transactions {
			want = append(want,
				`{"check":"txWrite","status":"INTRANS"}`,
				`{"check":"txReadBack","rows":[["t1","1"],["t2","2"]]}`,
			)
		}
		expectLines(t, got, want...)
	})
}

// TestAsyncpg runs testdata/asyncpg_client.py: asyncpg prepares every
// query and encodes its parameters in binary by the types the server
// infers ($1 compared with a text key is text; with a number, numeric).
func TestAsyncpg(t *testing.T) {
	python := requirePythonModule(t, "asyncpg", "python3-asyncpg")
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		srv := startServer(t, b)
		got := runJSON(t, t.TempDir(), nil, python, testdataPath(t, "asyncpg_client.py"), srv.URL())
		expectLines(t, got,
			`{"check":"connect","closed":false}`,
			`{"check":"fetch","rows":[["u001","Rosa Chen","rosa.chen1@example.com"]],"columns":["userId","name","email"]}`,
			// asyncpg has no jsonb codec by default: jsonb arrives as its text.
			`{"check":"types","values":[{"type":"str","value":"p001"},{"type":"str","value":"Racing Wheel"},`+
				`{"type":"Decimal","value":"244.99"},{"type":"int","value":0},{"type":"bool","value":true},`+
				`{"type":"str","value":"{\"depth\":15.4,\"height\":17.2,\"unit\":\"cm\",\"width\":28.7}"},`+
				`{"type":"bytes","value":"Jk1nmuYhXyN+Ka9suw=="}]}`,
			`{"check":"paramTypes","types":["text","text"],"columns":[["score","numeric"]]}`,
			`{"check":"prepared","value":{"type":"Decimal","value":"86294"}}`,
			`{"check":"count","value":{"type":"int","value":33}}`,
			`{"check":"numericParam","value":{"type":"Decimal","value":"244.99"}}`,
			`{"check":"error","sql":"SELECT * FROM NoSuchTable WHERE id = $1","sqlstate":"42P01","cls":"UndefinedTableError"}`,
			`{"check":"error","sql":"SELECT * FORM Users","sqlstate":"42601","cls":"PostgresSyntaxError"}`,
			`{"check":"afterErrors","value":"Chloé Larsen"}`,
		)
	})
}

// productP001Python is product p001's productId, name, price, stock,
// featured, dimensions and thumbnail as psycopg2 and psycopg 3 return
// them, bytea as a bytesType (bytes; psycopg2: memoryview), shown in base64.
func productP001Python(bytesType string) string {
	return `{"type":"str","value":"p001"},{"type":"str","value":"Racing Wheel"},` +
		`{"type":"Decimal","value":"244.99"},{"type":"int","value":0},{"type":"bool","value":true},` +
		`{"type":"dict","value":{"depth":15.4,"height":17.2,"unit":"cm","width":28.7}},` +
		`{"type":"` + bytesType + `","value":"Jk1nmuYhXyN+Ka9suw=="}`
}

// flag is a boolean as a command-line argument of the client programs.
func flag(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// userID is the id of the n-th sample user.
func userID(n int) string { return fmt.Sprintf("u%03d", n) }
