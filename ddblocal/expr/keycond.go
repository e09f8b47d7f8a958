package expr

import (
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// KeyCondition is a parsed KeyConditionExpression: equality on the
// partition key and at most one condition on the sort key.
type KeyCondition struct {
	PartitionKey   string
	PartitionValue types.AttributeValue
	Sort           *SortCondition // nil when only the partition key is given
	// pending is an error found in the key condition that DynamoDB Local
	// reports later than the others; see Pending.
	pending error
}

// Pending returns the error of a key condition that DynamoDB Local reports
// only after the FilterExpression's own errors: a BETWEEN whose lower
// bound is above its upper bound. A Query checks its filter, then this.
func (kc *KeyCondition) Pending() error { return kc.pending }

// SortCondition is the condition on the sort key of a Query.
type SortCondition struct {
	Key    string
	Op     string                 // "=", "<", "<=", ">", ">=", "BETWEEN", "begins_with"
	Values []types.AttributeValue // 1 value, or 2 for BETWEEN
}

// flipped is the operator with its operands swapped: ":v < k" is "k > :v".
var flipped = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// ParseKeyCondition parses a KeyConditionExpression and validates it
// against the key schema of the table or index queried: hashKey and
// rangeKey are the key attribute names (rangeKey "" when there is no sort
// key) and hashType and rangeType their declared types ("S", "N" or "B").
func ParseKeyCondition(src string, a Attrs, used *Used, hashKey, hashType, rangeKey, rangeType string) (*KeyCondition, error) {
	p := newParser(src, "KeyConditionExpression")
	var root *cond
	if err := p.parse(func() { root = p.condition() }); err != nil {
		return nil, err
	}
	ck := newChecker(p, a, used)
	ck.deferBounds = true
	if err := ck.checkCondition(root); err != nil {
		return nil, err
	}
	var leaves []*cond
	if err := keyLeaves(root, &leaves); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	keyOf := make([]*operand, len(leaves))
	for i, l := range leaves {
		for _, o := range l.args {
			if o.kind == oFunc {
				o = o.args[0]
			}
			if o.kind == oPath {
				keyOf[i] = o
				break
			}
		}
		if keyOf[i] == nil {
			return nil, errorf("Invalid condition in KeyConditionExpression: No key attribute specified")
		}
		path := keyOf[i].path
		if len(path) > 1 {
			return nil, errorf("Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: %s", path[0].Name)
		}
		if seen[path[0].Name] {
			return nil, errorf("KeyConditionExpressions must only contain one condition per key")
		}
		seen[path[0].Name] = true
	}
	if len(leaves) > 2 {
		return nil, errorf("Conditions can be of length 1 or 2 only")
	}
	kc := &KeyCondition{PartitionKey: hashKey, pending: ck.bounds}
	var hash, sort *cond
	for i, l := range leaves {
		switch name := keyOf[i].path[0].Name; {
		case name == hashKey:
			hash = l
		case name == rangeKey && rangeKey != "":
			sort = l
		default:
			return nil, errorf("Query condition missed key schema element")
		}
	}
	if hash == nil {
		return nil, errorf("Query condition missed key schema element")
	}
	if hash.kind != cCompare || hash.op != "=" {
		return nil, errorf("Query key condition not supported")
	}
	kc.PartitionValue = otherOperand(hash)
	if value.TypeName(kc.PartitionValue) != hashType {
		return nil, errorf("One or more parameter values were invalid: Condition parameter type does not match schema type")
	}
	if sort == nil {
		return kc, nil
	}
	sc := &SortCondition{Key: rangeKey}
	switch sort.kind {
	case cCompare:
		sc.Op = sort.op
		if sort.args[0].kind != oPath {
			sc.Op = flipped[sort.op]
		}
		sc.Values = []types.AttributeValue{otherOperand(sort)}
	case cBetween:
		sc.Op = "BETWEEN"
		sc.Values = []types.AttributeValue{sort.args[1].val, sort.args[2].val}
	case cFunc:
		sc.Op = "begins_with"
		sc.Values = []types.AttributeValue{sort.args[0].args[1].val}
	}
	for _, v := range sc.Values {
		if value.TypeName(v) != rangeType {
			return nil, errorf("One or more parameter values were invalid: Condition parameter type does not match schema type")
		}
	}
	kc.Sort = sc
	return kc, nil
}

// otherOperand returns the value compared with the key in a comparison.
func otherOperand(c *cond) types.AttributeValue {
	if c.args[0].kind == oPath {
		return c.args[1].val
	}
	return c.args[0].val
}

// keyLeaves collects the conditions joined by AND under n, refusing what a
// key condition may not contain.
func keyLeaves(n *cond, leaves *[]*cond) error {
	invalid := func(op string) error {
		return errorf("Invalid operator used in KeyConditionExpression: %s", op)
	}
	switch n.kind {
	case cAnd:
		for _, k := range n.kids {
			if err := keyLeaves(k, leaves); err != nil {
				return err
			}
		}
		return nil
	case cOr:
		return invalid("OR")
	case cNot:
		return invalid("NOT")
	case cIn:
		return invalid("IN")
	case cCompare:
		if n.op == "<>" {
			return invalid("<>")
		}
	case cFunc:
		if n.op != "begins_with" {
			return invalid(n.op)
		}
	}
	args := n.args
	if n.kind == cFunc {
		args = n.args[0].args
	}
	for _, a := range args {
		if a.kind != oPath && a.kind != oValue {
			return errorf("KeyConditionExpressions cannot contain nested operations")
		}
	}
	*leaves = append(*leaves, n)
	return nil
}

// Match reports whether item's key attributes satisfy the key condition.
func (k *KeyCondition) Match(item Item) bool {
	if v := item[k.PartitionKey]; v == nil || !value.Equal(v, k.PartitionValue) {
		return false
	}
	if k.Sort == nil {
		return true
	}
	return k.Sort.Match(item[k.Sort.Key])
}

// Match reports whether the sort key value v satisfies the condition.
func (s *SortCondition) Match(v types.AttributeValue) bool {
	if v == nil {
		return false
	}
	if s.Op == "begins_with" {
		switch x := v.(type) {
		case *types.AttributeValueMemberS:
			y, ok := s.Values[0].(*types.AttributeValueMemberS)
			return ok && strings.HasPrefix(x.Value, y.Value)
		case *types.AttributeValueMemberB:
			y, ok := s.Values[0].(*types.AttributeValueMemberB)
			return ok && strings.HasPrefix(string(x.Value), string(y.Value))
		}
		return false
	}
	c, ok := value.Compare(v, s.Values[0])
	if !ok {
		return false
	}
	switch s.Op {
	case "=":
		return c == 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	hi, ok := value.Compare(v, s.Values[1])
	return ok && c >= 0 && hi <= 0
}
