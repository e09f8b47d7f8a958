package testbackend

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

func TestMain(m *testing.M) { Main(m) }

func TestParseBackendList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		err  bool
	}{
		{in: "dynamodb-local,dynalite", want: []string{"dynamodb-local", "dynalite"}},
		{in: " dynalite , DynamoDB-Local,dynalite,", want: []string{"dynalite", "dynamodb-local"}},
		{in: "dynalite", want: []string{"dynalite"}},
		{in: "moto", err: true},
		{in: " , ", err: true},
	} {
		got, err := parseBackendList(tc.in)
		if tc.err {
			if err == nil {
				t.Errorf("parseBackendList(%q) = %v, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("parseBackendList(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func TestDefaultSelection(t *testing.T) {
	t.Setenv(envBackends, "")
	got, err := selected()
	if err != nil || !slices.Equal(got, []string{DynamoDBLocal, Dynalite, Engine}) {
		t.Errorf("selected() with %s unset = %v, %v", envBackends, got, err)
	}
}

func TestOnlyLoopback(t *testing.T) {
	if ok, _ := onlyLoopback([]string{"lo"}); !ok {
		t.Error(`onlyLoopback(["lo"]) = false`)
	}
	for _, names := range [][]string{{"lo", "eth0"}, {"eth0"}, {}} {
		ok, why := onlyLoopback(names)
		if ok || !strings.Contains(why, "private network namespace") {
			t.Errorf("onlyLoopback(%v) = %v, %q", names, ok, why)
		}
	}
}

func TestEndpointVar(t *testing.T) {
	if got := endpointVar(DynamoDBLocal); got != "DDBSQL_TEST_ENDPOINT_DYNAMODB_LOCAL" {
		t.Errorf("endpointVar(%q) = %q", DynamoDBLocal, got)
	}
	if got := endpointVar(Dynalite); got != "DDBSQL_TEST_ENDPOINT_DYNALITE" {
		t.Errorf("endpointVar(%q) = %q", Dynalite, got)
	}
}

// An endpoint given in the environment is used as it is: nothing starts.
func TestEndpointOverride(t *testing.T) {
	t.Setenv(endpointVar(Dynalite), "http://127.0.0.1:1/")
	b, problem := provide(Dynalite, kinds[Dynalite])
	if problem != nil {
		t.Fatal(problem.reason)
	}
	if b.Endpoint != "http://127.0.0.1:1" || b.Name != Dynalite {
		t.Errorf("provide with override = %+v", b)
	}
}

// Without the npm packages, the reason names the command that installs them,
// and it is a setup problem (skipped unless DDBSQL_REQUIRE_BACKENDS=1).
func TestMissingPackages(t *testing.T) {
	root := t.TempDir()
	for name, k := range kinds {
		if name == Engine {
			continue // built from the repository, not installed by npm: see TestEngineCommand
		}
		_, problem := k.command(root, 1)
		if problem == nil {
			t.Errorf("%s: command in an empty directory succeeded", name)
			continue
		}
		if problem.broken || !strings.Contains(problem.reason, "npm ci") {
			t.Errorf("%s: problem = %+v, want a setup problem mentioning npm ci", name, problem)
		}
	}
}

func TestCapabilityFlags(t *testing.T) {
	all := Capabilities{Transactions: true, TTL: true, PartiQL: true, IndexUpdates: true}
	if got := kinds[DynamoDBLocal].caps; got != all {
		t.Errorf("DynamoDB Local capabilities = %+v, want %+v", got, all)
	}
	if got := kinds[Dynalite].caps; got != (Capabilities{}) {
		t.Errorf("dynalite capabilities = %+v, want none", got)
	}
}

func TestRequire(t *testing.T) {
	lite := Backend{Name: Dynalite, Caps: kinds[Dynalite].caps}
	local := Backend{Name: DynamoDBLocal, Caps: kinds[DynamoDBLocal].caps}
	// The subtests that skip here are meant to: their skipping is the result.
	for _, tc := range []struct {
		name    string
		b       Backend
		need    Capabilities
		skipped bool
	}{
		{name: "dynalite_needs_nothing", b: lite, need: Capabilities{}, skipped: false},
		{name: "dynalite_needs_transactions", b: lite, need: Capabilities{Transactions: true}, skipped: true},
		{name: "dynalite_needs_TTL_PartiQL", b: lite, need: Capabilities{TTL: true, PartiQL: true}, skipped: true},
		{name: "dynalite_needs_index_updates", b: lite, need: Capabilities{IndexUpdates: true}, skipped: true},
		{name: "local_needs_all", b: local, need: Capabilities{Transactions: true, TTL: true, PartiQL: true}, skipped: false},
	} {
		var inner *testing.T
		t.Run(tc.name, func(t *testing.T) {
			inner = t
			tc.b.Require(t, tc.need)
		})
		if inner.Skipped() != tc.skipped {
			t.Errorf("%s.Require(%+v): skipped = %v, want %v", tc.b.Name, tc.need, inner.Skipped(), tc.skipped)
		}
	}
}

var validTableName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{3,255}$`)

func TestTableName(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		n := TableName(t, "Orders")
		if !strings.HasPrefix(n, "Orders_") || !validTableName.MatchString(n) {
			t.Fatalf("TableName = %q", n)
		}
		if seen[n] {
			t.Fatalf("TableName repeated %q", n)
		}
		seen[n] = true
	}
	for _, base := range []string{"", "a b/c", "TestX/sub_test#01", strings.Repeat("x", 300)} {
		if n := TableName(t, base); !validTableName.MatchString(n) {
			t.Errorf("TableName(%q) = %q, not a valid table name", base, n)
		}
	}
}

// A table goes through its whole life on every backend.
func TestTableLifecycle(t *testing.T) {
	Each(t, func(t *testing.T, b Backend) {
		t.Parallel()
		ctx := context.Background()
		c := Client(t, b)
		table := TableName(t, "Lifecycle")
		createTable(t, c, table)

		if !listTables(t, c, table) {
			t.Fatalf("ListTables does not show %s", table)
		}
		item := map[string]types.AttributeValue{
			"pk":    &types.AttributeValueMemberS{Value: "u1"},
			"sk":    &types.AttributeValueMemberN{Value: "1"},
			"email": &types.AttributeValueMemberS{Value: "ann@example.com"},
		}
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: &table, Item: item}); err != nil {
			t.Fatalf("PutItem: %v", err)
		}
		got, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: &table, ConsistentRead: aws.Bool(true),
			Key: map[string]types.AttributeValue{"pk": item["pk"], "sk": item["sk"]}})
		if err != nil {
			t.Fatalf("GetItem: %v", err)
		}
		if email, ok := got.Item["email"].(*types.AttributeValueMemberS); !ok || email.Value != "ann@example.com" {
			t.Fatalf("GetItem returned %v", got.Item)
		}
		q, err := c.Query(ctx, &dynamodb.QueryInput{TableName: &table, IndexName: aws.String("EmailIndex"),
			KeyConditionExpression:    aws.String("email = :e"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":e": item["email"]}})
		if err != nil || q.Count != 1 {
			t.Fatalf("Query on EmailIndex: count %v, error %v", q, err)
		}

		if _, err := c.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: &table}); err != nil {
			t.Fatalf("DeleteTable: %v", err)
		}
		if err := dynamodb.NewTableNotExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, 30*time.Second,
			func(o *dynamodb.TableNotExistsWaiterOptions) {
				o.MinDelay = 50 * time.Millisecond
				o.MaxDelay = time.Second
			}); err != nil {
			t.Fatalf("waiting for %s to go: %v", table, err)
		}
		if listTables(t, c, table) {
			t.Fatalf("ListTables still shows %s after DeleteTable", table)
		}
	})
}

// The capability flags tell the truth: what a backend claims works, and what
// it does not claim fails.
func TestCapabilitiesMatchServer(t *testing.T) {
	Each(t, func(t *testing.T, b Backend) {
		t.Parallel()
		ctx := context.Background()
		c := Client(t, b)
		table := TableName(t, "Caps")
		createTable(t, c, table)
		key := map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "k"},
			"sk": &types.AttributeValueMemberN{Value: "0"},
		}
		probes := []struct {
			name    string
			claimed bool
			call    func() error
		}{
			{"transactions", b.Caps.Transactions, func() error {
				_, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
					{Get: &types.Get{TableName: &table, Key: key}}}})
				return err
			}},
			{"TTL", b.Caps.TTL, func() error {
				// dynalite answers DescribeTimeToLive (always DISABLED) but
				// cannot turn TTL on.
				_, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: &table,
					TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("ttl"), Enabled: aws.Bool(true)}})
				return err
			}},
			{"PartiQL", b.Caps.PartiQL, func() error {
				_, err := c.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{
					Statement: aws.String(`SELECT * FROM "` + table + `" WHERE pk = 'k'`)})
				return err
			}},
		}
		for _, p := range probes {
			err := p.call()
			switch {
			case p.claimed && err != nil:
				t.Errorf("%s claims %s, but the call failed: %v", b.Name, p.name, err)
			case !p.claimed && err == nil:
				t.Errorf("%s does not claim %s, but the call succeeded", b.Name, p.name)
			case !p.claimed:
				var apiErr smithy.APIError
				if errors.As(err, &apiErr) {
					t.Logf("%s without %s answers %s", b.Name, p.name, apiErr.ErrorCode())
				}
			}
		}
	})
}

// createTable creates a table with key (pk S, sk N) and a global secondary
// index EmailIndex on email, and waits until it is active.
func createTable(t *testing.T, c *dynamodb.Client, table string) {
	t.Helper()
	ctx := context.Background()
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:   &table,
		BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN},
			{AttributeName: aws.String("email"), AttributeType: types.ScalarAttributeTypeS},
		},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange},
		},
		GlobalSecondaryIndexes: []types.GlobalSecondaryIndex{{
			IndexName:  aws.String("EmailIndex"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("email"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll},
		}},
	})
	if err != nil {
		t.Fatalf("CreateTable %s: %v", table, err)
	}
	if err := dynamodb.NewTableExistsWaiter(c).Wait(ctx, &dynamodb.DescribeTableInput{TableName: &table}, 30*time.Second,
		func(o *dynamodb.TableExistsWaiterOptions) {
			o.MinDelay = 50 * time.Millisecond
			o.MaxDelay = time.Second
		}); err != nil {
		t.Fatalf("waiting for %s to become active: %v", table, err)
	}
}

// listTables reports whether ListTables, followed through every page, shows
// table.
func listTables(t *testing.T, c *dynamodb.Client, table string) bool {
	t.Helper()
	p := dynamodb.NewListTablesPaginator(c, &dynamodb.ListTablesInput{Limit: aws.Int32(10)})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatalf("ListTables: %v", err)
		}
		if slices.Contains(page.TableNames, table) {
			return true
		}
	}
	return false
}

// The engine backend runs the ddbsql binary named by DDBSQL_BIN as
// `ddbsql local` on loopback, with its data in the server's directory.
func TestEngineCommand(t *testing.T) {
	t.Setenv(envBinary, "/opt/ddbsql")
	args, problem := kinds[Engine].command(t.TempDir(), 4242)
	if problem != nil {
		t.Fatal(problem.reason)
	}
	want := []string{"/opt/ddbsql", "local", "--listen", "127.0.0.1:4242", "--data-dir", "data", "--no-sync"}
	if !slices.Equal(args, want) {
		t.Errorf("engine command = %q, want %q", args, want)
	}
}
