package ddblocal

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/ddblocal/expr"
	"github.com/ddbsql/ddbsql/value"
)

// legacy holds the pre-expression parameters of the API. The engine
// serves the two that clients still commonly send, AttributesToGet and
// AttributeUpdates, by translating them into the expression forms; the
// others are answered with a ValidationException naming the expression
// parameter to use instead, rather than half supported.
type legacy struct {
	Expected            json.RawMessage `json:"Expected"`
	AttributesToGet     json.RawMessage `json:"AttributesToGet"`
	KeyConditions       json.RawMessage `json:"KeyConditions"`
	QueryFilter         json.RawMessage `json:"QueryFilter"`
	ScanFilter          json.RawMessage `json:"ScanFilter"`
	AttributeUpdates    json.RawMessage `json:"AttributeUpdates"`
	ConditionalOperator json.RawMessage `json:"ConditionalOperator"`
}

// translated are the legacy parameters the engine translates.
var translated = map[string]bool{"AttributesToGet": true, "AttributeUpdates": true}

// check refuses a legacy parameter sent with expression parameters (as
// DynamoDB does) and one the engine does not translate. exprParams are
// alternating names and values of the request's expression parameters.
func (l *legacy) check(exprParams ...string) error {
	var legacyNames, exprNames []string
	for _, p := range l.params() {
		if present(p.raw) {
			legacyNames = append(legacyNames, p.name)
		}
	}
	if len(legacyNames) == 0 {
		return nil
	}
	for i := 0; i+1 < len(exprParams); i += 2 {
		if exprParams[i+1] != "" {
			exprNames = append(exprNames, exprParams[i])
		}
	}
	if len(exprNames) > 0 {
		return validation("Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
			strings.Join(legacyNames, ", ") + "} Expression parameters: {" + strings.Join(exprNames, ", ") + "}")
	}
	return l.refuse(translated)
}

// refuse answers the first legacy parameter present that is not in
// allowed with a ValidationException.
func (l *legacy) refuse(allowed map[string]bool) error {
	for _, p := range l.params() {
		if present(p.raw) && !allowed[p.name] {
			return validation("The legacy parameter " + p.name + " is not supported by ddbsql's engine; use " + p.instead + " instead")
		}
	}
	return nil
}

type legacyParam struct {
	name, instead string
	raw           json.RawMessage
}

func (l *legacy) params() []legacyParam {
	return []legacyParam{
		{"AttributesToGet", "ProjectionExpression", l.AttributesToGet},
		{"AttributeUpdates", "UpdateExpression", l.AttributeUpdates},
		{"ConditionalOperator", "ConditionExpression or FilterExpression", l.ConditionalOperator},
		{"Expected", "ConditionExpression", l.Expected},
		{"KeyConditions", "KeyConditionExpression", l.KeyConditions},
		{"QueryFilter", "FilterExpression", l.QueryFilter},
		{"ScanFilter", "FilterExpression", l.ScanFilter},
	}
}

func present(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }

// legacyName is the placeholder the translations give the i-th attribute
// name; "#" names cannot collide with a client's because a client cannot
// send ExpressionAttributeNames together with legacy parameters.
func legacyName(e *exprInput, i int, name string) string {
	if e.ExpressionAttributeNames == nil {
		e.ExpressionAttributeNames = map[string]string{}
	}
	p := "#legacy" + strconv.Itoa(i)
	e.ExpressionAttributeNames[p] = name
	return p
}

// projection translates AttributesToGet into a ProjectionExpression ("" when
// absent), adding its names to e.
func (l *legacy) projection(e *exprInput) (string, error) {
	if !present(l.AttributesToGet) {
		return "", nil
	}
	var names []string
	if err := json.Unmarshal(l.AttributesToGet, &names); err != nil {
		return "", err
	}
	if len(names) == 0 {
		return "", validation("1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = legacyName(e, i, n)
	}
	return strings.Join(parts, ", "), nil
}

// attributeUpdate is one entry of the legacy AttributeUpdates.
type attributeUpdate struct {
	Action string   `json:"Action"`
	Value  *avValue `json:"Value"`
}

// avValue is one attribute value on the wire.
type avValue struct{ v types.AttributeValue }

func (a *avValue) UnmarshalJSON(data []byte) error {
	var w wireValue
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	// DynamoDB Local stores these values as sent, like an update
	// expression's values.
	v, err := w.decode(0, numbersAsSent)
	if err != nil {
		return err
	}
	a.v = v
	return nil
}

// update translates AttributeUpdates into an UpdateExpression ("" when
// absent), adding its names and values to e: PUT is SET, ADD is ADD, DELETE
// with a value is DELETE from a set and without one REMOVE.
func (l *legacy) update(e *exprInput) (string, error) {
	if !present(l.AttributeUpdates) {
		return "", nil
	}
	var ups map[string]attributeUpdate
	if err := json.Unmarshal(l.AttributeUpdates, &ups); err != nil {
		return "", err
	}
	var set, add, del, remove []string
	for i, name := range sortedNames(ups) {
		u := ups[name]
		n := legacyName(e, i, name)
		val := func() string {
			if e.ExpressionAttributeValues == nil {
				e.ExpressionAttributeValues = exprValues{}
			}
			p := ":legacy" + strconv.Itoa(i)
			e.ExpressionAttributeValues[p] = u.Value.v
			return p
		}
		switch u.Action {
		case "", "PUT":
			if u.Value == nil {
				return "", validation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified")
			}
			set = append(set, n+" = "+val())
		case "ADD":
			if u.Value == nil {
				return "", validation("One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified")
			}
			add = append(add, n+" "+val())
		case "DELETE":
			if u.Value == nil {
				remove = append(remove, n)
			} else {
				del = append(del, n+" "+val())
			}
		default:
			return "", validation("1 validation error detected: Value '" + u.Action + "' at 'attributeUpdates." + name + ".member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]")
		}
	}
	var clauses []string
	for _, c := range []struct {
		kw    string
		parts []string
	}{{"SET", set}, {"ADD", add}, {"DELETE", del}, {"REMOVE", remove}} {
		if len(c.parts) > 0 {
			clauses = append(clauses, c.kw+" "+strings.Join(c.parts, ", "))
		}
	}
	return strings.Join(clauses, " "), nil
}

// exprInput are the expression placeholders of a request.
type exprInput struct {
	ExpressionAttributeNames  map[string]string `json:"ExpressionAttributeNames"`
	ExpressionAttributeValues exprValues        `json:"ExpressionAttributeValues"`
}

func (e *exprInput) attrs() expr.Attrs {
	return expr.Attrs{Names: e.ExpressionAttributeNames, Values: e.ExpressionAttributeValues}
}

// exprError turns an expression package error into the API's answer.
func exprError(err error) error {
	var ee *expr.Error
	if errors.As(err, &ee) {
		return validation(ee.Message)
	}
	return err
}

// checkKey validates a Key parameter against the table's key schema: exactly
// the key attributes, of their declared types, not empty.
func checkKey(t *tableMeta, key item) error {
	want := 1
	if t.Key.RangeKey != "" {
		want = 2
	}
	if len(key) != want {
		return validation("The number of conditions on the keys is invalid")
	}
	return checkKeyAttrs(t.Key, key, "The provided key element does not match the schema")
}

// checkKeyAttrs checks the attributes of schema ks in it; missing is the
// message for an absent key attribute.
func checkKeyAttrs(ks keySchema, it item, missing string) error {
	for _, a := range [][2]string{{ks.HashKey, ks.HashType}, {ks.RangeKey, ks.RangeType}} {
		if a[0] == "" {
			continue
		}
		v, ok := it[a[0]]
		if !ok {
			return validation(missing)
		}
		if value.TypeName(v) != a[1] {
			return validation("One or more parameter values were invalid: Type mismatch for key")
		}
		if emptyKeyValue(v) {
			return validation("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty " + emptyKind(v) + " value. Key: " + a[0])
		}
		if limit := maxKeyBytes(a[0] == ks.HashKey); valueSize(v) > limit {
			return validation("Hash primary key values must be under 2048 bytes, and range primary key values must be under 1024 bytes")
		}
	}
	return nil
}

// maxKeyBytes is DynamoDB's size limit of a partition (2048 bytes) or sort
// (1024 bytes) key value.
func maxKeyBytes(hash bool) int {
	if hash {
		return 2048
	}
	return 1024
}

// emptyKind names the type of an empty key value in DynamoDB's messages.
func emptyKind(v types.AttributeValue) string {
	if _, ok := v.(*types.AttributeValueMemberB); ok {
		return "binary"
	}
	return "string"
}

func emptyKeyValue(v types.AttributeValue) bool {
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		return x.Value == ""
	case *types.AttributeValueMemberB:
		return len(x.Value) == 0
	}
	return false
}

// checkItem validates an item about to be stored: the table's key, every
// index key attribute present (indexes are sparse, but a present index key
// must have the declared type and not be empty), and the size limit.
func checkItem(t *tableMeta, it item) error {
	if err := checkKeyAttrs(t.Key, it, "One of the required keys was not given a value"); err != nil {
		return err
	}
	for _, ix := range t.indexes() {
		if err := checkIndexKeyTypes(t, ix, it); err != nil {
			return err
		}
	}
	if itemSize(it) > maxItemSize {
		return validation("Item size has exceeded the maximum allowed size")
	}
	return nil
}

// checkIndexKeyTypes checks the index key attributes of ix present in it.
func checkIndexKeyTypes(t *tableMeta, ix *indexMeta, it item) error {
	for _, a := range [][2]string{{ix.Key.HashKey, ix.Key.HashType}, {ix.Key.RangeKey, ix.Key.RangeType}} {
		if a[0] == "" || a[0] == t.Key.HashKey || a[0] == t.Key.RangeKey {
			continue
		}
		v, ok := it[a[0]]
		if !ok {
			continue
		}
		if value.TypeName(v) != a[1] {
			return validation("One or more parameter values were invalid: Type mismatch for Index Key")
		}
		if emptyKeyValue(v) {
			return validation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: " + ix.Name + ", IndexKey: " + a[0])
		}
	}
	return nil
}

// checkReturnValues validates ReturnValues against the values an operation allows.
func checkReturnValues(rv string, allowed ...string) error {
	if rv == "" || rv == "NONE" {
		return nil
	}
	for _, a := range allowed {
		if rv == a {
			return nil
		}
	}
	return validation("Return values set to invalid value")
}
