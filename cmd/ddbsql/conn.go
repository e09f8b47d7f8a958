package main

import (
	"context"
	"errors"
	"flag"
	"net"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/sqlerr"
)

// connFlags are the connection flags every subcommand shares.
type connFlags struct {
	endpoint, region, profile string
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.endpoint, "endpoint", "", "DynamoDB endpoint URL (default: $AWS_ENDPOINT_URL_DYNAMODB, $AWS_ENDPOINT_URL, else AWS)")
	fs.StringVar(&c.region, "region", "", "AWS region (default: the AWS configuration's)")
	fs.StringVar(&c.profile, "profile", "", "AWS shared-config profile")
}

func (c *connFlags) client(ctx context.Context) (*dynamodb.Client, error) {
	return executor.NewClient(ctx, executor.ClientConfig{Endpoint: c.endpoint, Region: c.region, Profile: c.profile})
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
