package executor

import (
	"os"

	"context"
	"errors"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"net"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/catalog"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// ClientConfig says how to reach DynamoDB. Empty fields leave the choice to
// the standard AWS configuration (environment, shared config and
// credentials files, SSO, instance roles).
type ClientConfig struct {
	// Endpoint overrides the service endpoint, e.g. http://localhost:8000
	// for DynamoDB Local. Without it the SDK reads AWS_ENDPOINT_URL_DYNAMODB,
	// AWS_ENDPOINT_URL and the profile's endpoint_url.
	Endpoint string
	// Region is the AWS region; with an endpoint and no region configured
	// anywhere it defaults to us-east-1.
	Region string
	// Profile names the shared config profile.
	Profile string
	// MaxAttempts bounds the attempts of one API call, retries included
	// (default 10).
	MaxAttempts int
	// HTTPClient, when set, carries every request instead of the SDK's
	// default client: the embedded engine (package ddblocal) serves requests
	// in process this way, through exactly the SDK code path used for AWS.
	HTTPClient aws.HTTPClient
}

// Retry settings of NewClient.
const (
	defaultMaxAttempts = 10
	maxBackoff         = 20 * time.Second
	// refusedAttempts bounds the attempts when nothing listens at the
	// endpoint: a wrong endpoint should fail within a fraction of a second,
	// not after the full backoff schedule.
	refusedAttempts = 3
	// localRegion is the region used with an endpoint when none is set:
	// local servers accept any.
	localRegion = "us-east-1"
)

// NewClient returns a DynamoDB client configured from cfg and the standard
// AWS configuration chain.
//
// Calls are retried by the SDK's standard retryer: exponential backoff with
// jitter capped at 20 s, throttling errors (ProvisionedThroughputExceeded,
// ThrottlingException, RequestLimitExceeded) and transient network errors
// included, and without the client-side retry quota, so that a long scan
// under throttling keeps retrying instead of failing once the quota is
// spent. For a loopback endpoint with no credentials configured, static
// dummy credentials are used, since local servers accept any.
//
// Errors carry a SQLSTATE.
func NewClient(ctx context.Context, cfg ClientConfig) (*dynamodb.Client, error) {
	maxAttempts := cfg.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = defaultMaxAttempts
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRetryer(func() aws.Retryer { return newRetryer(maxAttempts) }),
	}
	if cfg.Region != "" {
		opts = append(opts, config.WithRegion(cfg.Region))
	}
	if cfg.Profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(cfg.Profile))
	}
	if isLoopback(declaredEndpoint(cfg)) {
		// A local server needs no instance credentials: never ask the EC2
		// metadata service, which is not on loopback.
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	awsCfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		e := sqlerr.New(sqlerr.InvalidAuthorization, "cannot load the AWS configuration: %v", err)
		if cfg.Profile != "" {
			e.Hint = "check that the profile exists in ~/.aws/config or ~/.aws/credentials"
		}
		e.Err = err
		return nil, e
	}
	// The SDK resolves the endpoint itself (cfg.Endpoint, else
	// AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, the profile's
	// endpoint_url); the resolved value decides the defaults below.
	withEndpoint := func(o *dynamodb.Options) {
		if cfg.Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.Endpoint)
		}
		if o.BaseEndpoint != nil && o.Region == "" {
			o.Region = localRegion
		}
		if cfg.HTTPClient != nil {
			o.HTTPClient = cfg.HTTPClient
		}
	}
	client := dynamodb.NewFromConfig(awsCfg, withEndpoint)
	endpoint := aws.ToString(client.Options().BaseEndpoint)
	if endpoint == "" && client.Options().Region == "" {
		return nil, sqlerr.New(sqlerr.InvalidParameter, "no AWS region configured").
			WithHint("set AWS_REGION, a region in the profile, or the region option; for a local server set the endpoint")
	}
	if endpoint == "" || !isLoopback(endpoint) {
		return client, nil
	}
	if !hasCredentials(ctx, awsCfg.Credentials) {
		awsCfg.Credentials = credentials.NewStaticCredentialsProvider("local", "local", "")
	}
	// Local servers (DynamoDB Local, dynalite) leave out the X-Amz-Crc32
	// header on some responses, which the SDK then reports as a checksum
	// mismatch on stderr; over loopback the check guards against nothing.
	noChecksum := func(o *dynamodb.Options) { o.DisableValidateResponseChecksum = true }
	return dynamodb.NewFromConfig(awsCfg, withEndpoint, noChecksum), nil
}

// declaredEndpoint is the endpoint given by the configuration or the
// environment variables the SDK reads, before any credential is resolved.
func declaredEndpoint(cfg ClientConfig) string {
	for _, e := range []string{cfg.Endpoint, os.Getenv("AWS_ENDPOINT_URL_DYNAMODB"), os.Getenv("AWS_ENDPOINT_URL")} {
		if e != "" {
			return e
		}
	}
	return ""
}

// NewCatalog returns the production catalog reading table metadata through
// api, with DynamoDB's errors mapped like the executor's.
func NewCatalog(api catalog.DescribeAPI) *catalog.Dynamo {
	c := catalog.NewDynamo(api)
	c.MapError = mapError
	return c
}

// newRetryer is the SDK's standard retryer with the settings of NewClient.
func newRetryer(maxAttempts int) aws.Retryer {
	return refusedLimit{retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.MaxBackoff = maxBackoff
		o.RateLimiter = ratelimit.None
	})}
}

// refusedLimit stops retrying a refused connection after refusedAttempts:
// the standard retryer treats it like any transient network error.
type refusedLimit struct {
	*retry.Standard
}

// RetryDelay implements aws.Retryer. Returning the attempt's own error ends
// the retries with that error.
func (r refusedLimit) RetryDelay(attempt int, err error) (time.Duration, error) {
	if attempt >= refusedAttempts && isConnectionRefused(err) {
		return 0, err
	}
	return r.Standard.RetryDelay(attempt, err)
}

// isConnectionRefused reports whether err is a refused TCP connection.
func isConnectionRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// isLoopback reports whether endpoint's host is localhost or a loopback
// address.
func isLoopback(endpoint string) bool {
	u, err := url.Parse(endpoint)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// hasCredentials reports whether the credential chain yields credentials.
// The check is bounded: on a machine outside AWS the instance-metadata
// lookup at the end of the chain may otherwise take seconds.
func hasCredentials(ctx context.Context, p aws.CredentialsProvider) bool {
	if p == nil {
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	c, err := p.Retrieve(ctx)
	return err == nil && c.HasKeys()
}
