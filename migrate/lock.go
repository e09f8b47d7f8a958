package migrate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// DefaultLease is how long a runner's lock lasts without being renewed: a
// runner that crashed holds the lock at most this long.
const DefaultLease = 30 * time.Second

// LockedError is returned when another runner holds the lock and it did not
// come free within the lock timeout.
type LockedError struct {
	Table, Owner string
	Expires      time.Time
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("another migration run holds the lock in %s (owner %s, lease until %s): try again later, or wait for it with --lock-timeout",
		e.Table, e.Owner, e.Expires.UTC().Format(time.RFC3339))
}

// lock is the lock item of the history table (version 0), held by one
// runner at a time. The lease is renewed every third of its length while
// the runner works; a runner that stops renewing (killed, partitioned)
// loses the lock when the lease expires. Leases compare the clocks of the
// runners, so they assume clocks roughly in step (well within the lease).
type lock struct {
	api   API
	table string
	owner string
	lease time.Duration

	stop chan struct{}
	done sync.WaitGroup
}

// newOwner names a runner: host, process and a random part.
func newOwner() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), hex.EncodeToString(b))
}

func millis(t time.Time) types.AttributeValue { return num(t.UnixMilli()) }

// tryAcquire puts the lock item if it is absent, expired or already ours.
// It returns the current holder when the lock is taken.
func (l *lock) tryAcquire(ctx context.Context) (bool, *LockedError, error) {
	now := time.Now()
	_, err := l.api.PutItem(ctx, &dynamodb.PutItemInput{
		TableName: aws.String(l.table),
		Item: map[string]types.AttributeValue{
			attrVersion:      num(lockVersion),
			attrKind:         str("lock"),
			attrOwner:        str(l.owner),
			attrLeaseExpires: millis(now.Add(l.lease)),
			attrStartedAt:    str(now.UTC().Format(time.RFC3339Nano)),
		},
		ConditionExpression: aws.String("attribute_not_exists(#v) OR #e < :now OR #o = :me"),
		ExpressionAttributeNames: map[string]string{
			"#v": attrVersion, "#e": attrLeaseExpires, "#o": attrOwner,
		},
		ExpressionAttributeValues: map[string]types.AttributeValue{
			":now": millis(now), ":me": str(l.owner),
		},
	})
	if err == nil {
		return true, nil, nil
	}
	if !isCode(err, "ConditionalCheckFailedException") {
		return false, nil, fmt.Errorf("taking the migration lock in %s: %w", l.table, err)
	}
	held := &LockedError{Table: l.table, Owner: "?"}
	out, gerr := l.api.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(l.table), Key: versionKey(lockVersion), ConsistentRead: aws.Bool(true)})
	if gerr == nil && out.Item != nil {
		if o, ok := out.Item[attrOwner].(*types.AttributeValueMemberS); ok {
			held.Owner = o.Value
		}
		if e, ok := out.Item[attrLeaseExpires].(*types.AttributeValueMemberN); ok {
			ms, _ := strconv.ParseInt(e.Value, 10, 64)
			held.Expires = time.UnixMilli(ms)
		}
	}
	return false, held, nil
}

// acquire takes the lock, polling until timeout has passed (0: one try),
// then renews it in the background until release. lost is called, once,
// if a renewal finds the lock taken by someone else.
func (l *lock) acquire(ctx context.Context, timeout time.Duration, lost func(error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, held, err := l.tryAcquire(ctx)
		if err != nil {
			return err
		}
		if ok {
			break
		}
		if !time.Now().Before(deadline) {
			return held
		}
		wait := min(time.Until(deadline), time.Second, l.lease/4+time.Millisecond)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
	l.stop = make(chan struct{})
	l.done.Add(1)
	go l.renew(lost)
	return nil
}

// renew extends the lease every third of its length.
func (l *lock) renew(lost func(error)) {
	defer l.done.Done()
	t := time.NewTicker(l.lease / 3)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), l.lease/3)
		now := time.Now()
		_, err := l.api.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(l.table),
			Key:                       versionKey(lockVersion),
			UpdateExpression:          aws.String("SET #e = :e"),
			ConditionExpression:       aws.String("#o = :me"),
			ExpressionAttributeNames:  map[string]string{"#e": attrLeaseExpires, "#o": attrOwner},
			ExpressionAttributeValues: map[string]types.AttributeValue{":e": millis(now.Add(l.lease)), ":me": str(l.owner)},
		})
		cancel()
		if isCode(err, "ConditionalCheckFailedException") {
			lost(fmt.Errorf("lost the migration lock in %s: the lease expired and another run took it", l.table))
			return
		}
		// Other errors (a slow or throttled call) are retried at the next
		// tick; the lease outlasts two missed renewals.
	}
}

// release stops renewing and deletes the lock item if it is still ours.
func (l *lock) release(ctx context.Context) error {
	if l.stop != nil {
		close(l.stop)
		l.done.Wait()
		l.stop = nil
	}
	_, err := l.api.DeleteItem(ctx, &dynamodb.DeleteItemInput{
		TableName:                 aws.String(l.table),
		Key:                       versionKey(lockVersion),
		ConditionExpression:       aws.String("#o = :me"),
		ExpressionAttributeNames:  map[string]string{"#o": attrOwner},
		ExpressionAttributeValues: map[string]types.AttributeValue{":me": str(l.owner)},
	})
	if err != nil && !isCode(err, "ConditionalCheckFailedException") {
		return fmt.Errorf("releasing the migration lock in %s: %w", l.table, err)
	}
	return nil
}
