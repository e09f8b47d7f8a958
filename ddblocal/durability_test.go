package ddblocal_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/ddblocal"
)

// childDirEnv makes the test binary act as the writer child of
// TestDurabilityAfterKill.
const childDirEnv = "DDBLOCAL_DURABILITY_CHILD_DIR"

// TestDurabilityAfterKill runs a child process that writes items from
// several goroutines and prints each key once PutItem has returned; the
// child is killed with SIGKILL mid-stream. Every printed (acknowledged)
// item must be there when the directory is reopened.
func TestDurabilityAfterKill(t *testing.T) {
	if dir := os.Getenv(childDirEnv); dir != "" {
		durabilityChild(dir)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestDurabilityAfterKill$", "-test.count=1")
	cmd.Env = append(os.Environ(), childDirEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if k, ok := strings.CutPrefix(line, "acked "); ok {
			acked = append(acked, k)
			if len(acked) == 300 {
				cmd.Process.Signal(syscall.SIGKILL)
				break
			}
		}
	}
	go func() { // drain whatever the child wrote before dying
		for sc.Scan() {
		}
	}()
	cmd.Wait()
	if len(acked) < 300 {
		t.Fatalf("the child acknowledged only %d writes", len(acked))
	}

	db, err := ddblocal.Open(dir, ddblocal.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := client(db)
	for _, k := range acked {
		got, err := c.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("Durable"),
			Key: map[string]types.AttributeValue{"pk": s(k)}, ConsistentRead: aws.Bool(true)})
		if err != nil {
			t.Fatal(err)
		}
		if got.Item == nil {
			t.Fatalf("acknowledged item %s lost after SIGKILL", k)
		}
	}
}

// durabilityChild writes forever from four goroutines, printing each
// acknowledged key; the parent kills it.
func durabilityChild(dir string) {
	db, err := ddblocal.Open(dir, ddblocal.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	c := client(db)
	ctx := context.Background()
	_, err = c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("Durable"),
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	if err != nil {
		fmt.Println("create:", err)
		os.Exit(1)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				k := strconv.Itoa(w) + "-" + strconv.Itoa(i)
				_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("Durable"),
					Item: map[string]types.AttributeValue{"pk": s(k), "v": s(strings.Repeat("x", 100))}})
				if err != nil {
					fmt.Println("put:", err)
					os.Exit(1)
				}
				mu.Lock()
				fmt.Println("acked", k)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}
