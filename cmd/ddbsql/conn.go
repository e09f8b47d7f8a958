package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/ddblocal"
	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// connFlags are the connection flags every subcommand shares.
//
// Without an endpoint, a region or a profile — on the command line, in the
// environment or in the AWS configuration files — ddbsql uses its embedded
// engine (package ddblocal) in the default data directory, the way sqlite3
// and duckdb start with no server; --local DIR picks another directory.
type connFlags struct {
	endpoint, region, profile string
	local                     string

	// engineDir is the data directory of the embedded engine in use ("" when
	// the client talks to an endpoint or to AWS).
	engineDir string
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.endpoint, "endpoint", "", "DynamoDB endpoint URL (default: $AWS_ENDPOINT_URL_DYNAMODB, $AWS_ENDPOINT_URL, else AWS)")
	fs.StringVar(&c.region, "region", "", "AWS region (default: the AWS configuration's)")
	fs.StringVar(&c.profile, "profile", "", "AWS shared-config profile")
	fs.StringVar(&c.local, "local", "", "use the embedded engine with its data in `DIR` (the default when no endpoint, region or profile is configured)")
}

func (c *connFlags) client(ctx context.Context) (*dynamodb.Client, error) {
	dir, err := c.engineDirectory(ctx)
	if err != nil {
		return nil, err
	}
	if dir == "" {
		return executor.NewClient(ctx, executor.ClientConfig{Endpoint: c.endpoint, Region: c.region, Profile: c.profile})
	}
	db, err := openEngine(dir)
	if err != nil {
		return nil, err
	}
	if c.local == "" {
		fmt.Fprintf(os.Stderr, "ddbsql: no DynamoDB endpoint or region configured: using the embedded engine in %s\n", dir)
	}
	c.engineDir = dir
	return executor.NewClient(ctx, executor.ClientConfig{Endpoint: engineEndpoint, HTTPClient: db.HTTPClient()})
}

// engineEndpoint is the base URL of requests to the embedded engine. They
// never leave the process (the engine's HTTP client serves them), and a
// loopback name makes the client use dummy credentials, as for any local
// server.
const engineEndpoint = "http://ddblocal.localhost"

// engineDirectory returns the data directory of the embedded engine when
// the flags and the AWS configuration ask for it, else "".
func (c *connFlags) engineDirectory(ctx context.Context) (string, error) {
	if c.local != "" {
		if c.endpoint != "" || c.region != "" || c.profile != "" {
			return "", sqlerr.New(sqlerr.InvalidParameter, "--local cannot be combined with --endpoint, --region or --profile")
		}
		return c.local, nil
	}
	if c.endpoint != "" || c.region != "" || c.profile != "" {
		return "", nil
	}
	for _, v := range []string{"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"} {
		if os.Getenv(v) != "" {
			return "", nil
		}
	}
	// A region in the shared configuration files (default profile) means
	// the user has set up AWS.
	awsCfg, err := config.LoadDefaultConfig(ctx, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	if err == nil && awsCfg.Region != "" {
		return "", nil
	}
	return defaultDataDir()
}

// engines are the embedded engines this process opened, by directory: a
// data directory can be opened once per process, and \c may reconnect.
var engines = struct {
	sync.Mutex
	open map[string]*ddblocal.DB
}{open: map[string]*ddblocal.DB{}}

// openEngine opens the engine in dir, or returns the one already open. The
// engine stays open until the process exits: every acknowledged write is
// already on disk, so nothing is lost by not closing it.
func openEngine(dir string) (*ddblocal.DB, error) {
	engines.Lock()
	defer engines.Unlock()
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if db := engines.open[abs]; db != nil {
		return db, nil
	}
	db, err := ddblocal.Open(abs, ddblocal.Options{})
	if err != nil {
		e := &sqlerr.Error{Code: sqlerr.ConnectionFailure, Message: err.Error(), Err: err}
		return nil, e.WithHint("if `ddbsql local` serves this directory, connect to it with --endpoint; or choose another directory with --local")
	}
	engines.open[abs] = db
	return db, nil
}

// connectTimeout bounds the call connect makes to check an endpoint.
const connectTimeout = 10 * time.Second

// connect is client plus one ListTables call, without retries, so that an
// endpoint that does not answer (or refuses the credentials) fails now
// rather than at the next statement.
func (c *connFlags) connect(ctx context.Context) (*dynamodb.Client, error) {
	client, err := c.client(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	_, err = client.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(1)},
		func(o *dynamodb.Options) { o.RetryMaxAttempts = 1 })
	if err != nil {
		where := aws.ToString(client.Options().BaseEndpoint)
		if where == "" {
			where = "DynamoDB in " + client.Options().Region
		}
		e := sqlerr.New(sqlerr.ConnectionFailure, "cannot connect to %s: %s", where, rootCause(err))
		e.Err = err
		return nil, e
	}
	return client, nil
}

// rootCause says why a call failed in a few words: DynamoDB's exception and
// message, or the network error, without the SDK's layers of context.
func rootCause(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode() + ": " + apiErr.ErrorMessage()
	}
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return netErr.Error()
	}
	return err.Error()
}
