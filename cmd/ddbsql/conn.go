package main

import (
	"context"
	"flag"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/executor"
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
