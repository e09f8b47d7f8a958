package ddblocal

import (
	"encoding/json"
)

// apiError is an error answered to the client as DynamoDB answers it: HTTP
// 400 (500 for an internal error) with a JSON body carrying the exception
// type in __type and the text in Message, plus the extra members some
// exceptions have.
type apiError struct {
	Type    string // exception name, e.g. "ValidationException"
	Message string
	// Item is the item that failed a condition, for
	// ReturnValuesOnConditionCheckFailure=ALL_OLD.
	Item avMap
	// Reasons are a cancelled transaction's per-item outcomes.
	Reasons []cancellationReason
	status  int
}

func (e *apiError) Error() string { return e.Type + ": " + e.Message }

// typePrefix is the namespace DynamoDB Local writes before the exception
// name: request-validation errors come from the Coral framework, the others
// from DynamoDB's own model.
func (e *apiError) typePrefix() string {
	if e.Type == "ValidationException" || e.Type == "SerializationException" {
		return "com.amazon.coral.validate#"
	}
	return "com.amazonaws.dynamodb.v20120810#"
}

// MarshalJSON writes the error body.
func (e *apiError) MarshalJSON() ([]byte, error) {
	body := struct {
		Type    string               `json:"__type"`
		Message string               `json:"Message"`
		Item    avMap                `json:"Item,omitempty"`
		Reasons []cancellationReason `json:"CancellationReasons,omitempty"`
	}{e.typePrefix() + e.Type, e.Message, e.Item, e.Reasons}
	return json.Marshal(body)
}

// cancellationReason is one entry of a TransactionCanceledException: Code
// "None" for an item that did not fail.
type cancellationReason struct {
	Code    string `json:"Code"`
	Message string `json:"Message,omitempty"`
	Item    avMap  `json:"Item,omitempty"`
}

func validation(msg string) *apiError {
	return &apiError{Type: "ValidationException", Message: msg}
}

func tableNotFound() *apiError {
	return &apiError{Type: "ResourceNotFoundException", Message: "Cannot do operations on a non-existent table"}
}

func conditionFailed(old avMap) *apiError {
	return &apiError{Type: "ConditionalCheckFailedException", Message: "The conditional request failed", Item: old}
}

func internalError(err error) *apiError {
	return &apiError{Type: "InternalServerError", Message: "The request processing has failed because of an unknown error, exception or failure: " + err.Error(), status: 500}
}
