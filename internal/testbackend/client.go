package testbackend

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

var clients sync.Map // endpoint → *dynamodb.Client

// Client returns a DynamoDB client for b: static credentials "test"/"test",
// region us-east-1, b.Endpoint as the base endpoint, and nothing read from
// the environment or shared AWS config files. Clients are shared per
// endpoint and safe for concurrent use.
func Client(t testing.TB, b Backend) *dynamodb.Client {
	t.Helper()
	if b.Endpoint == "" {
		t.Fatalf("testbackend: backend %q has no endpoint; get it from Get, All or Each", b.Name)
	}
	if c, ok := clients.Load(b.Endpoint); ok {
		return c.(*dynamodb.Client)
	}
	c, _ := clients.LoadOrStore(b.Endpoint, newClient(b.Endpoint))
	return c.(*dynamodb.Client)
}

// newClient builds a client for endpoint from explicit options only.
// Proxies are switched off so that test traffic goes straight to the server.
func newClient(endpoint string, optFns ...func(*dynamodb.Options)) *dynamodb.Client {
	httpClient := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
		tr.Proxy = nil
	})
	return dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   httpClient,
	}, optFns...)
}

// TableName returns base followed by "_" and a random suffix, so that tests
// sharing a server never use the same table. Characters DynamoDB does not
// allow in table names are replaced by '_'.
func TableName(t testing.TB, base string) string {
	t.Helper()
	const suffixLen = 8
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	clean := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-', r == '.':
			return r
		}
		return '_'
	}, base)
	if clean == "" {
		clean = "t"
	}
	if limit := 255 - 1 - suffixLen; len(clean) > limit {
		clean = clean[:limit]
	}
	suffix := make([]byte, suffixLen)
	for i := range suffix {
		suffix[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return clean + "_" + string(suffix)
}
