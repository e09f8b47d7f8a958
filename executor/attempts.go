package executor

import (
	"context"
	"sync/atomic"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/smithy-go/middleware"
)

// attemptCounter counts the attempts the SDK makes for one call, retries
// included. A conditional write whose condition fails on a later attempt
// may have failed against its own first attempt, which DynamoDB applied
// but whose answer was lost (a reset connection); the caller can tell the
// two cases apart only by knowing the call was retried.
type attemptCounter struct{ n atomic.Int32 }

// option adds the counter to one call's middleware stack, after the
// retry middleware, so that it runs once per attempt.
func (c *attemptCounter) option(o *dynamodb.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Finalize.Insert(middleware.FinalizeMiddlewareFunc("ddbsqlAttempts",
			func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
				c.n.Add(1)
				return next.HandleFinalize(ctx, in)
			}), "Retry", middleware.After)
	})
}

// retried reports whether the call took more than one attempt.
func (c *attemptCounter) retried() bool { return c.n.Load() > 1 }
