package pgwire

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/sample"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// scanFake serves Scan from in-memory tables (one page of at most Limit
// items) and records each call. Every other DynamoDB call panics through
// the nil embedded interface: sampling must make none.
type scanFake struct {
	executor.DynamoDB

	mu     sync.Mutex
	tables map[string][]executor.Item
	scans  []string // "table limit=N" per call
	err    error    // returned by every Scan when set
}

func (f *scanFake) Scan(_ context.Context, in *dynamodb.ScanInput, _ ...func(*dynamodb.Options)) (*dynamodb.ScanOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	name := aws.ToString(in.TableName)
	f.scans = append(f.scans, fmt.Sprintf("%s limit=%d", name, aws.ToInt32(in.Limit)))
	if f.err != nil {
		return nil, f.err
	}
	items := f.tables[name]
	if n := int(aws.ToInt32(in.Limit)); n > 0 && len(items) > n {
		items = items[:n]
	}
	return &dynamodb.ScanOutput{Items: items, Count: int32(len(items))}, nil
}

func (f *scanFake) takeScans() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	s := f.scans
	f.scans = nil
	return s
}

// describeFixture is a Describer over a fake holding the sample data of
// the fixture catalog's tables, plus a Products table built to exercise
// every typing rule.
func describeFixture(t *testing.T) (*Describer, *scanFake, catalog.Fixture) {
	t.Helper()
	cat, err := catalog.LoadFixture("../testdata/catalog.json")
	if err != nil {
		t.Fatal(err)
	}
	fake := &scanFake{tables: map[string][]executor.Item{}}
	for _, table := range []string{"Users", "Orders", "GameLeaderboards", "Sessions"} {
		items, err := sample.Items(table)
		if err != nil {
			t.Fatal(err)
		}
		fake.tables[table] = items
	}
	fake.tables["Products"] = []executor.Item{
		{"productId": avS("p1"), "price": avN("9.99"), "stock": avN("3"), "mixed": avS("x"), "doc": avS("y"),
			"nothing": avNull(), "maybe": avNull(), "flag": avBool(true), "blob": avB(1), "tags": &types.AttributeValueMemberSS{Value: []string{"a"}},
			"sizes": &types.AttributeValueMemberNS{Value: []string{"1"}}, "keys": &types.AttributeValueMemberBS{Value: [][]byte{{1}}},
			"_extra": avS("collides"), "big": avN("99999999999999999999")},
		{"productId": avS("p2"), "price": avN("10"), "stock": avN("1E+2"), "mixed": avN("1"), "doc": avM(nil),
			"nothing": avNull(), "maybe": avN("5"), "list": avL()},
	}
	return NewDescriber(fake, DescriberOptions{SampleSize: 50}), fake, cat
}

// describe plans sql with cat and returns its columns.
func describe(t *testing.T, d *Describer, cat catalog.Catalog, sql string) []Column {
	t.Helper()
	stmt, plan := planSQL(t, cat, sql)
	cols, err := d.columns(context.Background(), cat, stmt, plan)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return cols
}

func planSQL(t *testing.T, cat catalog.Catalog, sql string) (parser.Statement, *planner.Plan) {
	t.Helper()
	stmts, err := parser.Parse(sql)
	if err != nil || len(stmts) != 1 {
		t.Fatalf("parse %s: %v", sql, err)
	}
	plan, err := planner.New(cat, planner.Options{ScanPolicy: planner.ScanAllow}).Plan(context.Background(), stmts[0])
	if err != nil {
		t.Fatalf("plan %s: %v", sql, err)
	}
	return stmts[0], plan
}

// colString writes columns as name:type, the overflow column marked +.
func colString(cols []Column) string {
	var parts []string
	for _, c := range cols {
		s := c.Name + ":" + typeName(c.OID)
		if c.Overflow {
			s = "+" + s
		} else if c.Attr != c.Name {
			s += "(" + c.Attr + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestColumnsSelectStar(t *testing.T) {
	d, fake, cat := describeFixture(t)
	cases := []struct{ sql, want string }{
		// Every typing rule: keys first, then by name; NULL only → text;
		// N and NULL → bigint; mixed → text, or jsonb with a map; an
		// attribute called _extra pushes the overflow column to __extra.
		{`SELECT * FROM Products`, "productId:text _extra:text big:numeric blob:bytea doc:jsonb flag:boolean " +
			"keys:bytea[] list:jsonb maybe:bigint mixed:text nothing:text price:numeric sizes:numeric[] " +
			"stock:bigint tags:text[] +__extra:jsonb"},
		// Index keys follow the table's; an N key is numeric.
		{`SELECT * FROM GameLeaderboards`, "gameId:text playerId:text score:numeric achievements:text[] " +
			"count:bigint guest:boolean lastPlayed:text level:bigint +_extra:jsonb"},
		// An index that projects some attributes shows those.
		{`SELECT * FROM Orders."OrderStatusIndex" WHERE orderStatus = 'PENDING'`,
			"customerId:text orderId:text orderStatus:text createdAt:text totalAmount:numeric +_extra:jsonb"},
		// SELECT *, expr: the star's columns, then the expression.
		{`SELECT *, stock + 1 AS more FROM Products WHERE productId = 'p1'`, "productId:text _extra:text big:numeric blob:bytea " +
			"doc:jsonb flag:boolean keys:bytea[] list:jsonb maybe:bigint mixed:text nothing:text price:numeric sizes:numeric[] " +
			"stock:bigint tags:text[] +__extra:jsonb more:bigint"},
		{`UPDATE Sessions SET x = 1 WHERE sessionId = 's' RETURNING ALL NEW *`, ""},
	}
	for _, c := range cases {
		got := colString(describe(t, d, cat, c.sql))
		if c.want == "" {
			if !strings.HasPrefix(got, "sessionId:text ") || !strings.HasSuffix(got, " +_extra:jsonb") {
				t.Errorf("%s:\n got %s\nwant the Sessions table's columns", c.sql, got)
			}
			continue
		}
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
	if scans := fake.takeScans(); !slices.Equal(scans, []string{"Products limit=50", "GameLeaderboards limit=50", "Orders limit=50", "Sessions limit=50"}) {
		t.Errorf("scans = %q, want one per table (cached), Limit = SampleSize", scans)
	}
}

func TestColumnsSelectList(t *testing.T) {
	d, fake, cat := describeFixture(t)
	cases := []struct{ sql, want string }{
		{`SELECT productId AS id, price, stock, price * 2 AS dbl, stock + 1 AS inc, stock / 2 AS half, -stock AS neg,
			name || 'x' AS s, size(tags) AS n, price > 1 AS gt, begins_with(productId, 'p') AS bw,
			price BETWEEN 1 AND 2 AS btw, productId IN ('a') AS isin, productId LIKE 'p%' AS lk, nothing IS NULL AS isn,
			CASE WHEN stock > 1 THEN stock ELSE 0 END AS c1, CASE WHEN flag THEN 'a' ELSE price END AS c2,
			CASE WHEN flag THEN price ELSE NULL END AS c3, NOT flag AS nf, doc.a AS nested, unknownAttr
			FROM Products WHERE productId = 'p1'`,
			"id:text price:numeric stock:bigint dbl:numeric inc:bigint half:numeric neg:bigint s:text n:bigint " +
				"gt:boolean bw:boolean btw:boolean isin:boolean lk:boolean isn:boolean c1:bigint c2:text c3:numeric " +
				"nf:boolean nested:text unknownAttr:text"},
		{`SELECT COUNT(*) AS c, SUM(stock) AS s, AVG(stock) AS a, MIN(price) AS lo, MAX(mixed) AS hi, mixed FROM Products GROUP BY mixed`,
			"c:bigint s:numeric a:numeric lo:numeric hi:text mixed:text"},
		{`SELECT 1 AS i, 5000000000 AS b, 1.5 AS d, 'x' AS s, TRUE AS t, NULL AS n, [1] AS l, {'a': 1} AS m, <<1, 2>> AS ns, <<'a'>> AS ss`,
			"i:integer b:bigint d:numeric s:text t:boolean n:text l:jsonb m:jsonb ns:numeric[] ss:text[]"},
		{`SELECT stock::int4 AS a, CAST(price AS float8) AS b, productId::varchar AS c FROM Products WHERE productId = 'p1'`,
			"a:integer b:double precision c:character varying"},
		{`SELECT p.price FROM Products p WHERE p.productId = 'p1'`, "price:numeric"},
	}
	for _, c := range cases {
		got := colString(describe(t, d, cat, c.sql))
		if got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
	fake.takeScans()

	// Nothing but COUNT(*) and keys needs no sample.
	d.Refresh("")
	describe(t, d, cat, `SELECT COUNT(*) FROM Products`)
	if scans := fake.takeScans(); len(scans) != 0 {
		t.Errorf("COUNT(*) sampled the table: %q", scans)
	}
}

func TestColumnsOtherStatements(t *testing.T) {
	d, fake, cat := describeFixture(t)
	cases := []struct{ sql, want string }{
		{`EXPLAIN SELECT * FROM Users WHERE userId = 'u1'`, "QUERY PLAN:text"},
		{`SHOW TABLES`, "name:text"},
		{`DESCRIBE Users`, "name:text type:text partition_key:text sort_key:text projection:text status:text " +
			"items:text bytes:text billing:text ttl:text stream:text"},
		{`INSERT INTO Users VALUE {'userId': 'x'}`, ""},
		{`UPDATE Users SET a = 1 WHERE userId = 'x'`, ""},
		{`DELETE FROM Users WHERE userId = 'x'`, ""},
		{`CREATE TABLE t (a TEXT, PRIMARY KEY (a))`, ""},
		{`COPY Users TO STDOUT`, ""},
	}
	for _, c := range cases {
		if got := colString(describe(t, d, cat, c.sql)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.sql, got, c.want)
		}
	}
	if scans := fake.takeScans(); len(scans) != 0 {
		t.Errorf("statements without table rows sampled: %q", scans)
	}

	// A relation that is not a DynamoDB table, planned elsewhere: text.
	stmts, err := parser.Parse(`SELECT relname, relkind FROM pg_class`)
	if err != nil {
		t.Fatal(err)
	}
	cols, err := d.columns(context.Background(), cat, stmts[0], &planner.Plan{Columns: []string{"relname", "relkind"}})
	if got := colString(cols); err != nil || got != "relname:text relkind:text" {
		t.Errorf("SELECT from pg_class: %s, %v", got, err)
	}
}

func TestColumnsSampleCache(t *testing.T) {
	d, fake, cat := describeFixture(t)
	now := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d.now = func() time.Time { return now }
	star := func() { describe(t, d, cat, `SELECT * FROM Sessions`) }

	star()
	star()
	if n := len(fake.takeScans()); n != 1 {
		t.Errorf("two describes made %d scans, want 1", n)
	}
	now = now.Add(DefaultSampleTTL)
	star()
	if n := len(fake.takeScans()); n != 1 {
		t.Errorf("after the TTL: %d scans, want 1", n)
	}
	d.Refresh("Sessions")
	star()
	d.Refresh("Users") // another table: Sessions stays cached
	star()
	d.Refresh("")
	star()
	if scans := fake.takeScans(); len(scans) != 2 {
		t.Errorf("Refresh: scans %q, want 2", scans)
	}

	// Concurrent statements share one Scan.
	d.Refresh("")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := d.sample(context.Background(), "Sessions"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := len(fake.takeScans()); n != 1 {
		t.Errorf("8 concurrent samples made %d scans, want 1", n)
	}

	// A failed Scan fails the statement and is not cached.
	d.Refresh("")
	fake.err = errors.New("connection reset")
	stmt, plan := planSQL(t, cat, `SELECT * FROM Sessions`)
	if _, err := d.columns(context.Background(), cat, stmt, plan); err == nil {
		t.Error("a failed sample did not fail Columns")
	}
	fake.err = nil
	star()
	if n := len(fake.takeScans()); n != 2 {
		t.Errorf("after a failed Scan: %d scans, want 2 (the failure is retried)", n)
	}
}

// TestDescribeSampleTables describes each sample table on a real backend
// and sends every row of SELECT * through AppendRow in both formats,
// decoding each value with pgtype as a client would.
func TestDescribeSampleTables(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		ctx := context.Background()
		client := testbackend.Client(t, b)
		sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow}})
		loadSampleForTypes(t, b.Endpoint, sess, client)
		d := NewDescriber(client, DescriberOptions{})
		wantKeys := map[string]string{
			"Users":            "userId:text email:text ",
			"Orders":           "customerId:text orderId:text orderStatus:text createdAt:text ",
			"GameLeaderboards": "gameId:text playerId:text score:numeric ",
			"IoTSensorData":    "deviceId:text timestamp:numeric ",
			"Sessions":         "sessionId:text ",
			"Products":         "productId:text ",
		}
		m := pgtype.NewMap()
		for _, table := range sample.Tables() {
			stmts, err := parser.Parse(`SELECT * FROM "` + table + `"`)
			if err != nil {
				t.Fatal(err)
			}
			cols, err := d.Columns(ctx, sess, stmts[0], nil)
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			desc := colString(cols)
			t.Logf("%s: %s", table, desc)
			if !strings.HasPrefix(desc, wantKeys[table]) || !cols[len(cols)-1].Overflow {
				t.Errorf("%s: columns %s: want keys %q first and the overflow column last", table, desc, wantKeys[table])
			}
			for name, want := range map[string]uint32{"loginCount": pgtype.Int8OID, "roles": pgtype.TextArrayOID,
				"profile": pgtype.JSONBOID, "avatar": pgtype.ByteaOID, "active": pgtype.BoolOID, "totalAmount": pgtype.NumericOID,
				"reading": pgtype.ByteaOID, "favouriteNumbers": pgtype.NumericArrayOID, "backupCodes": pgtype.ByteaArrayOID} {
				for _, c := range cols {
					if c.Attr == name && c.OID != want {
						t.Errorf("%s.%s is %s, want %s", table, name, typeName(c.OID), typeName(want))
					}
				}
			}

			res, err := sess.Run(ctx, stmts[0], nil)
			if err != nil {
				t.Fatal(err)
			}
			rows := 0
			for {
				it, err := res.Rows.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				rows++
				for _, f := range []int16{textFormat, binaryFormat} {
					formats := slices.Repeat([]int16{f}, len(cols))
					vals, err := AppendRow(nil, cols, it, formats)
					if err != nil {
						t.Fatalf("%s row %d format %d: %v", table, rows, f, err)
					}
					for i, v := range vals {
						if v == nil {
							continue
						}
						var dst any
						if err := m.Scan(cols[i].OID, f, v, &dst); err != nil {
							t.Fatalf("%s.%s (%s, format %d): pgtype cannot decode %q: %v", table, cols[i].Name, typeName(cols[i].OID), f, v, err)
						}
					}
				}
			}
			res.Rows.Close()
			if rows == 0 {
				t.Errorf("%s: no rows", table)
			}
		}
	})
}

var typesSampleLoads sync.Map // endpoint → *sync.Once

// loadSampleForTypes loads the sample data into the backend once per test
// process.
func loadSampleForTypes(t *testing.T, endpoint string, sess *session.Session, client *dynamodb.Client) {
	t.Helper()
	v, _ := typesSampleLoads.LoadOrStore(endpoint, new(sync.Once))
	var err error
	v.(*sync.Once).Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		err = sample.Load(ctx, sess, client, nil)
	})
	if err != nil {
		t.Fatalf("loading the sample data: %v", err)
	}
}
