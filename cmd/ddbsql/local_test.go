package main

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// freshUserEnv is the environment of a user with no AWS configuration at
// all: no AWS_* variables and a home directory of its own.
func freshUserEnv(t *testing.T) (env []string, home string) {
	t.Helper()
	home = t.TempDir()
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_") || name == "HOME" || name == "XDG_DATA_HOME" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "HOME="+home), home
}

func runEnv(t *testing.T, env []string, args ...string) result {
	t.Helper()
	return runWith(t, env, "", args...)
}

// TestEmbeddedEngineByDefault is a new user's first commands: no AWS
// account or configuration, `ddbsql --sample`, then more sessions over the
// same data.
func TestEmbeddedEngineByDefault(t *testing.T) {
	env, home := freshUserEnv(t)
	dataDir := filepath.Join(home, ".local", "share", "ddbsql")

	r := runEnv(t, env, "--sample", "-c", "SELECT name FROM Users WHERE userId = 'u002'")
	if r.code != 0 || !strings.Contains(r.stdout, "Chloé Larsen") {
		t.Fatalf("first run: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if want := "using the embedded engine in " + dataDir; !strings.Contains(r.stderr, want) ||
		!strings.Contains(r.stderr, "loaded 50 items into Users") {
		t.Fatalf("first run's stderr lacks %q or the sample loading lines:\n%s", want, r.stderr)
	}

	// The data persists; --sample does not load (or overwrite) it again.
	if r := runEnv(t, env, "-q", "-c", "UPDATE Users SET name = 'Renamed' WHERE userId = 'u002'"); r.code != 0 {
		t.Fatalf("update: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runEnv(t, env, "--sample", "--format", "csv", "-c", "SELECT name FROM Users WHERE userId = 'u002'")
	if r.code != 0 || r.stdout != "name\nRenamed\n" || strings.Contains(r.stderr, "loaded") {
		t.Fatalf("second run: exit %d\nstdout %q\nstderr %s", r.code, r.stdout, r.stderr)
	}

	// XDG_DATA_HOME moves the default directory; --local names one.
	xdg := filepath.Join(home, "xdg")
	r = runEnv(t, append(env, "XDG_DATA_HOME="+xdg), "-c", "SHOW TABLES")
	if r.code != 0 || !strings.Contains(r.stderr, filepath.Join(xdg, "ddbsql")) || strings.Contains(r.stdout, "Users") {
		t.Fatalf("XDG_DATA_HOME: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	other := filepath.Join(home, "other")
	r = runEnv(t, env, "--local", other, "--format", "csv", "-c", "CREATE TABLE Things (id TEXT PRIMARY KEY)", "-c", "SHOW TABLES")
	if r.code != 0 || !strings.Contains(r.stdout, "Things\n") || strings.Contains(r.stderr, "embedded engine") {
		t.Fatalf("--local: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := runEnv(t, env, "--local", other, "--endpoint", "http://127.0.0.1:1", "-c", "SHOW TABLES"); r.code != exitUsage {
		t.Fatalf("--local with --endpoint: exit %d, want %d\n%s", r.code, exitUsage, r.stderr)
	}

	// A configured region means AWS, not the engine.
	r = runEnv(t, append(env, "AWS_REGION=eu-west-1", "AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:1", "AWS_ACCESS_KEY_ID=x", "AWS_SECRET_ACCESS_KEY=x"),
		"-c", "SHOW TABLES")
	if r.code == 0 || strings.Contains(r.stderr, "embedded engine") {
		t.Fatalf("configured AWS: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestLocalServer runs `ddbsql local` as a user would and talks to it with
// the AWS SDK and with ddbsql; a second process cannot open the same data
// directory; the data survives a restart.
func TestLocalServer(t *testing.T) {
	env, home := freshUserEnv(t)
	dataDir := filepath.Join(home, "data")
	port := freeLoopbackPort(t)
	endpoint := "http://127.0.0.1:" + port

	start := func() *exec.Cmd {
		cmd := exec.Command(ddbsql(t), "local", "--listen", "127.0.0.1:"+port, "--data-dir", dataDir)
		cmd.Env = env
		stderr, err := cmd.StderrPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stderr).ReadString('\n')
		if err != nil || !strings.Contains(line, endpoint) || !strings.Contains(line, dataDir) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("ddbsql local said %q (%v)", line, err)
		}
		go func() { _, _ = bufio.NewReader(stderr).WriteTo(new(bytes.Buffer)) }()
		return cmd
	}
	stop := func(cmd *exec.Cmd) {
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("ddbsql local after SIGTERM: %v", err)
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Fatal("ddbsql local did not stop on SIGTERM")
		}
	}

	server := start()
	ctx := context.Background()
	client := dynamodb.New(dynamodb.Options{
		BaseEndpoint: aws.String(endpoint),
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("any", "any", ""),
	})
	_, err := client.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("Events"),
		BillingMode:          types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: aws.String("n"), AttributeType: types.ScalarAttributeTypeN}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("n"), KeyType: types.KeyTypeRange}},
	})
	if err != nil {
		stop(server)
		t.Fatal(err)
	}
	for _, n := range []string{"10", "-2.5", "3"} {
		_, err := client.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Events"), Item: map[string]types.AttributeValue{
			"pk": &types.AttributeValueMemberS{Value: "a"}, "n": &types.AttributeValueMemberN{Value: n}}})
		if err != nil {
			stop(server)
			t.Fatal(err)
		}
	}
	q, err := client.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("Events"),
		KeyConditionExpression:    aws.String("pk = :p AND n > :lo"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "a"}, ":lo": &types.AttributeValueMemberN{Value: "-3"}}})
	if err != nil {
		stop(server)
		t.Fatal(err)
	}
	var got []string
	for _, it := range q.Items {
		got = append(got, it["n"].(*types.AttributeValueMemberN).Value)
	}
	if strings.Join(got, ",") != "-2.5,3,10" || q.Count != 3 {
		t.Errorf("Query through ddbsql local: %v (count %d), want numeric order -2.5,3,10", got, q.Count)
	}

	// ddbsql itself through the server, and a second opener of the directory.
	r := runEnv(t, env, "--endpoint", endpoint, "--format", "csv", "-c", "SELECT n FROM Events WHERE pk = 'a' ORDER BY n DESC")
	if r.code != 0 || r.stdout != "n\n10\n3\n-2.5\n" {
		t.Errorf("ddbsql --endpoint: exit %d\nstdout %q\n%s", r.code, r.stdout, r.stderr)
	}
	r = runEnv(t, env, "--local", dataDir, "-c", "SHOW TABLES")
	if r.code != exitUsage || !strings.Contains(r.stderr, "in use") {
		t.Errorf("second opener: exit %d, want %d and a clear message\n%s", r.code, exitUsage, r.stderr)
	}
	stop(server)

	// After a restart (and with the server gone, directly) the data is there.
	r = runEnv(t, env, "--local", dataDir, "--format", "csv", "-c", "SELECT COUNT(*) AS c FROM Events WHERE pk = 'a'")
	if r.code != 0 || r.stdout != "c\n3\n" {
		t.Errorf("after restart: exit %d\nstdout %q\n%s", r.code, r.stdout, r.stderr)
	}
}

// freeLoopbackPort returns a port that was free a moment ago.
func freeLoopbackPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

// A -c command's COPY ... FROM STDIN reads the process's standard input,
// as psql -c does.
func TestCopyFromStdinCommand(t *testing.T) {
	env, home := freshUserEnv(t)
	dir := filepath.Join(home, "data")
	r := runWith(t, env, "id,price\na1,3.5\na2,4\n", "--local", dir, "--format", "csv",
		"-c", "CREATE TABLE Prices (id TEXT PRIMARY KEY)",
		"-c", "COPY Prices FROM STDIN (FORMAT csv, HEADER true)",
		"-c", "SELECT id, price FROM Prices WHERE id IN ('a1', 'a2') ORDER BY id")
	if r.code != 0 || r.stdout != "id,price\na1,3.5\na2,4\n" {
		t.Fatalf("exit %d\nstdout %q\nstderr %s", r.code, r.stdout, r.stderr)
	}
}
