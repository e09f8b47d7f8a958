package clienttest

import (
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestNodePostgres runs testdata/node_client.js with node-postgres (npm pg,
// pinned in package.json): a parameterless simple Query; parameterised
// queries sent as one Parse (unnamed, no parameter types) + Bind + Describe
// portal + Execute + Sync batch, so the server infers parameter types; a
// named statement parsed once and run three times; the JavaScript values of
// each type (pg returns numeric and bigint as strings); error codes.
func TestNodePostgres(t *testing.T) {
	node := requireTool(t, "node", "install Node.js")
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		srv := startServer(t, b)
		got := runJSON(t, t.TempDir(), nil, node, testdataPath(t, "node_client.js"), srv.URL())
		expectLines(t, got,
			`{"check":"connect"}`,
			`{"check":"simple","rows":[{"userId":"u001","name":"Rosa Chen"}],"command":"SELECT","rowCount":1}`,
			`{"check":"params","rows":[{"userId":"u002","name":"Chloé Larsen","email":"chloe.larsen2@example.com"}],"fields":["userId","name","email"]}`,
			`{"check":"types","values":[`+
				`{"type":"string","value":"p001"},{"type":"string","value":"Racing Wheel"},`+
				`{"type":"string","value":"244.99"},{"type":"string","value":"0"},{"type":"boolean","value":true},`+
				`{"type":"object","value":{"depth":15.4,"height":17.2,"unit":"cm","width":28.7}},`+
				`{"type":"Buffer","value":"Jk1nmuYhXyN+Ka9suw=="}],`+
				`"oids":[25,25,1700,20,16,3802,17]}`,
			`{"check":"named","rows":[{"orderId":"o0002","totalAmount":"42.99"}]}`,
			`{"check":"named","rows":[{"orderId":"o0004","totalAmount":"1075.99"}]}`,
			`{"check":"named","rows":[{"orderId":"o0001","totalAmount":"192"}]}`,
			`{"check":"count","value":{"type":"string","value":"33"}}`,
			`{"check":"error","sql":"SELECT * FROM NoSuchTable","code":"42P01"}`,
			`{"check":"error","sql":"SELECT * FORM Users WHERE userId = $1","code":"42601","position":"10"}`,
			`{"check":"afterErrors","rows":[{"name":"Rosa Smith"}]}`,
		)
	})
}
