package expr

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Item is a DynamoDB item.
type Item = map[string]types.AttributeValue

// Attrs are a request's ExpressionAttributeNames and ExpressionAttributeValues.
type Attrs struct {
	Names  map[string]string
	Values map[string]types.AttributeValue
}

// Error is a validation failure; the engine answers it as a
// ValidationException whose message is Message, verbatim.
type Error struct{ Message string }

func (e *Error) Error() string { return e.Message }

// errorf builds an *Error.
func errorf(format string, args ...any) *Error {
	return &Error{Message: fmt.Sprintf(format, args...)}
}

// Messages of runtime failures, which DynamoDB reports without naming the
// expression.
const (
	msgInvalidUpdatePath = "The document path provided in the update expression is invalid for update"
	msgIncorrectType     = "An operand in the update expression has an incorrect data type"
	msgMissingOperand    = "The provided expression refers to an attribute that does not exist in the item"
)

// Used collects the placeholders that a request's expressions used, so that
// the engine can report DynamoDB's "unused" validation errors across all the
// expressions of one request.
type Used struct{ Names, Values map[string]bool }

// NewUsed returns an empty Used.
func NewUsed() *Used {
	return &Used{Names: map[string]bool{}, Values: map[string]bool{}}
}

// CheckUnused returns DynamoDB's error for names or values of a that no
// expression used, names first, or nil.
func (u *Used) CheckUnused(a Attrs) error {
	if keys := unused(a.Names, u.Names); len(keys) > 0 {
		return errorf("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", strings.Join(keys, ", "))
	}
	if keys := unused(a.Values, u.Values); len(keys) > 0 {
		return errorf("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", strings.Join(keys, ", "))
	}
	return nil
}

// unused returns the keys of m not in used, in the order DynamoDB lists
// them: DynamoDB Local is written in Java and prints a java.util.HashSet, so
// the keys come in the bucket order of Java's String hash.
func unused[V any](m map[string]V, used map[string]bool) []string {
	var keys []string
	for k := range m {
		if !used[k] {
			keys = append(keys, k)
		}
	}
	javaHashOrder(keys)
	return keys
}
