package clienttest

import (
	"fmt"
	"os"
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// pgjdbcJar is where Debian's libpostgresql-jdbc-java installs pgjdbc.
const pgjdbcJar = "/usr/share/java/postgresql.jar"

// TestJDBC runs testdata/JdbcClient.java, built against pgjdbc: SCRAM
// login; PreparedStatements with setString, setInt and setBigDecimal run
// ten times each, past prepareThreshold (named server-side statements,
// binary results); ResultSetMetaData; SQLSTATEs of errors; writes read
// back; setQueryTimeout cancelling pg_sleep (CancelRequest → 57014);
// setFetchSize(2) with autocommit off (a portal read two rows at a time).
func TestJDBC(t *testing.T) {
	javac := requireTool(t, "javac", "apt-get install openjdk-17-jdk-headless")
	java := requireTool(t, "java", "apt-get install openjdk-17-jre-headless")
	if _, err := os.Stat(pgjdbcJar); err != nil {
		missing(t, pgjdbcJar+" not found (apt-get install libpostgresql-jdbc-java)")
	}
	classes := t.TempDir()
	if r := run(t, classes, nil, javac, "-d", classes, "-cp", pgjdbcJar, testdataPath(t, "JdbcClient.java")); r.Exit != 0 {
		t.Fatalf("javac failed:\n%s%s", r.Stdout, r.Stderr)
	}
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		srv := startServer(t, b)
		scratch := srv.NewScratch(t)
		got := runJSON(t, classes, nil, java, "-cp", pgjdbcJar+":"+classes, "JdbcClient",
			srv.JDBCURL(), testUser, testPassword, scratch)
		want := []string{`{"check":"connect","autocommit":true}`}
		users := sampleStrings(t, "Users", "userId", "name")
		thumbnail := sampleBinary(t, "Products", "productId", "thumbnail")["p001"]
		for i := 1; i <= 10; i++ {
			id := fmt.Sprintf("u%03d", i)
			want = append(want, jsonLine("setString", "i", i, "userId", id, "name", users[id]))
		}
		want = append(want, `{"check":"setString.serverPrepared","value":true}`)
		for i := 1; i <= 10; i++ {
			want = append(want, jsonLine("setInt", "i", i, "deviceId", "d01", "timestamp", 1717200012, "battery", 98))
		}
		for i := 1; i <= 10; i++ {
			want = append(want, jsonLine("setBigDecimal", "i", i, "productId", "p001", "price", "244.99"))
		}
		want = append(want,
			`{"check":"metadata","column":"productId","type":"text"}`,
			`{"check":"metadata","column":"name","type":"text"}`,
			`{"check":"metadata","column":"price","type":"numeric"}`,
			`{"check":"metadata","column":"stock","type":"int8"}`,
			`{"check":"metadata","column":"featured","type":"bool"}`,
			`{"check":"metadata","column":"thumbnail","type":"bytea"}`,
			jsonLine("metadata.row", "productId", "p001", "name", "Racing Wheel", "price", "244.99", "stock", 0, "featured", true,
				"dimensions", `{"depth":15.4,"height":17.2,"unit":"cm","width":28.7}`, "thumbnailBytes", len(thumbnail)),
			`{"check":"error","sql":"SELECT * FROM NoSuchTable WHERE id = 'x'","sqlstate":"42P01"}`,
			`{"check":"error","sql":"SELECT * FORM Users","sqlstate":"42601"}`,
			jsonLine("error", "sql", "INSERT INTO "+scratch+" (id, n) VALUES ('dup', 1)", "sqlstate", "23505"),
			`{"check":"afterErrors","name":"Chloé Larsen"}`,
			`{"check":"insert","id":"w1","count":1}`,
			`{"check":"insert","id":"w2","count":1}`,
			`{"check":"insert","id":"w3","count":1}`,
			`{"check":"update","count":1}`,
			`{"check":"delete","count":1}`,
			`{"check":"readBack","id":"w1","found":true,"n":"1.5","label":"row 1"}`,
			`{"check":"readBack","id":"w2","found":true,"n":"2.5","label":"changed"}`,
			`{"check":"readBack","id":"w3","found":false}`,
			`{"check":"cancel","sqlstate":"57014"}`,
			`{"check":"afterCancel","name":"Rosa Chen"}`,
			`{"check":"fetchSize","rows":33,"first":"o0002","last":"o0298"}`,
		)
		expectLines(t, got, want...)
	})
}
