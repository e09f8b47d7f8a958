package executor

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// isolateAWSEnv removes every AWS_ variable and points the shared config
// files nowhere for the test, so that the machine's configuration does not
// leak in.
func isolateAWSEnv(t *testing.T) {
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "AWS_") {
			t.Setenv(name, "")
			os.Unsetenv(name)
		}
	}
	dir := t.TempDir()
	t.Setenv("AWS_CONFIG_FILE", dir+"/config")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", dir+"/credentials")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
}

func TestRetryerRetriesThrottling(t *testing.T) {
	r := newRetryer(10)
	if r.MaxAttempts() != 10 {
		t.Errorf("MaxAttempts %d, want 10", r.MaxAttempts())
	}
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&types.ProvisionedThroughputExceededException{Message: aws.String("x")}, true},
		{&types.RequestLimitExceeded{Message: aws.String("x")}, true},
		{apiError("ThrottlingException", "x"), true},
		{&types.InternalServerError{Message: aws.String("x")}, false},
		{&types.ConditionalCheckFailedException{Message: aws.String("x")}, false},
		{apiError("ValidationException", "x"), false},
		{refused(), true},
	} {
		if got := r.IsErrorRetryable(tc.err); got != tc.want {
			t.Errorf("IsErrorRetryable(%v) = %v, want %v", tc.err, got, tc.want)
		}
	}
	// No client-side retry quota: a long throttled scan never runs out.
	throttle := &types.ProvisionedThroughputExceededException{Message: aws.String("x")}
	for i := 0; i < 1000; i++ {
		if _, err := r.GetRetryToken(context.Background(), throttle); err != nil {
			t.Fatalf("retry token %d: %v", i, err)
		}
	}
	// Backoff is capped at 20 s.
	for attempt := 1; attempt < 30; attempt++ {
		d, err := r.RetryDelay(attempt, throttle)
		if err != nil || d > maxBackoff {
			t.Fatalf("RetryDelay(%d) = %v, %v", attempt, d, err)
		}
	}
	// A refused connection is retried briefly only.
	if _, err := r.RetryDelay(1, refused()); err != nil {
		t.Errorf("refused connection not retried: %v", err)
	}
	if _, err := r.RetryDelay(refusedAttempts, refused()); err == nil {
		t.Errorf("refused connection retried after %d attempts", refusedAttempts)
	}
}

func TestIsLoopback(t *testing.T) {
	for _, tc := range []struct {
		endpoint string
		want     bool
	}{
		{"http://localhost:8000", true},
		{"http://LOCALHOST", true},
		{"http://dynamodb.localhost:8000", true},
		{"http://127.0.0.1:8000", true},
		{"http://127.1.2.3", true},
		{"http://[::1]:8000", true},
		{"https://dynamodb.us-east-1.amazonaws.com", false},
		{"http://10.0.0.1:8000", false},
		{"http://localhost.example.com", false},
		{"::not a url", false},
	} {
		if got := isLoopback(tc.endpoint); got != tc.want {
			t.Errorf("isLoopback(%q) = %v, want %v", tc.endpoint, got, tc.want)
		}
	}
}

func TestNewClientLocalEndpoint(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      ClientConfig
		env      map[string]string
		endpoint string
		region   string
		key      string // access key id; "" when none can be found
	}{
		{
			name: "endpoint option", cfg: ClientConfig{Endpoint: "http://127.0.0.1:8000"},
			endpoint: "http://127.0.0.1:8000", region: "us-east-1", key: "local",
		},
		{
			name: "service endpoint variable", env: map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:9000"},
			endpoint: "http://localhost:9000", region: "us-east-1", key: "local",
		},
		{
			name: "global endpoint variable", env: map[string]string{"AWS_ENDPOINT_URL": "http://[::1]:9000", "AWS_REGION": "eu-west-1"},
			endpoint: "http://[::1]:9000", region: "eu-west-1", key: "local",
		},
		{
			name: "option wins over variables", cfg: ClientConfig{Endpoint: "http://localhost:1", Region: "ap-south-1"},
			env:      map[string]string{"AWS_ENDPOINT_URL_DYNAMODB": "http://localhost:2"},
			endpoint: "http://localhost:1", region: "ap-south-1", key: "local",
		},
		{
			name: "configured credentials are kept", cfg: ClientConfig{Endpoint: "http://localhost:8000"},
			env:      map[string]string{"AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"},
			endpoint: "http://localhost:8000", region: "us-east-1", key: "AKIDEXAMPLE",
		},
		{
			name: "no dummy credentials for remote endpoints", cfg: ClientConfig{Endpoint: "https://dynamodb.example.com"},
			endpoint: "https://dynamodb.example.com", region: "us-east-1", key: "",
		},
		{
			name: "AWS itself", cfg: ClientConfig{Region: "us-west-2"},
			endpoint: "", region: "us-west-2", key: "",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			isolateAWSEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			client, err := NewClient(context.Background(), tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			o := client.Options()
			if got := aws.ToString(o.BaseEndpoint); got != tc.endpoint {
				t.Errorf("endpoint %q, want %q", got, tc.endpoint)
			}
			if o.Region != tc.region {
				t.Errorf("region %q, want %q", o.Region, tc.region)
			}
			creds, err := o.Credentials.Retrieve(context.Background())
			if tc.key == "" {
				if err == nil {
					t.Errorf("credentials %q found, want none", creds.AccessKeyID)
				}
			} else if err != nil || creds.AccessKeyID != tc.key {
				t.Errorf("credentials %q (%v), want %q", creds.AccessKeyID, err, tc.key)
			}
		})
	}
}

func TestNewClientWithoutRegion(t *testing.T) {
	isolateAWSEnv(t)
	_, err := NewClient(context.Background(), ClientConfig{})
	wantState(t, err, sqlerr.InvalidParameter, "no AWS region configured")
}

func TestNewClientUnknownProfile(t *testing.T) {
	isolateAWSEnv(t)
	_, err := NewClient(context.Background(), ClientConfig{Profile: "nope", Endpoint: "http://localhost:1"})
	wantState(t, err, sqlerr.InvalidAuthorization, "")
}

func TestUnreachableEndpointFailsFast(t *testing.T) {
	isolateAWSEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Skip("no loopback:", err)
	}
	endpoint := "http://" + ln.Addr().String()
	ln.Close()
	client, err := NewClient(context.Background(), ClientConfig{Endpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err = client.ListTables(context.Background(), &dynamodb.ListTablesInput{})
	e := wantState(t, mapError(err), sqlerr.ConnectionFailure, "")
	if want := "is DynamoDB reachable at " + endpoint + "?"; e.Hint != want {
		t.Errorf("hint %q, want %q", e.Hint, want)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("gave up after %s; a refused connection should fail fast", elapsed)
	}
}
