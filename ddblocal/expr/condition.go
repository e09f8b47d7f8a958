package expr

import (
	"bytes"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// Condition is a parsed ConditionExpression or FilterExpression.
type Condition struct {
	root  *cond
	paths []Path
}

// ParseCondition parses and checks a ConditionExpression or
// FilterExpression; which is the parameter's name, used in messages.
// Placeholders it uses are recorded in used.
func ParseCondition(src, which string, a Attrs, used *Used) (*Condition, error) {
	p := newParser(src, which)
	var root *cond
	if err := p.parse(func() { root = p.condition() }); err != nil {
		return nil, err
	}
	if err := newChecker(p, a, used).checkCondition(root); err != nil {
		return nil, err
	}
	c := &Condition{root: root}
	walkOperands(root, func(o *operand) {
		if o.kind == oPath {
			c.paths = append(c.paths, o.path)
		}
	})
	return c, nil
}

// Paths returns the document paths the condition reads, in source order.
func (c *Condition) Paths() []Path { return c.paths }

// walkOperands calls fn on every operand of n, depth first, in source order.
func walkOperands(n *cond, fn func(*operand)) {
	for _, k := range n.kids {
		walkOperands(k, fn)
	}
	var visit func(o *operand)
	visit = func(o *operand) {
		fn(o)
		for _, a := range o.args {
			visit(a)
		}
	}
	for _, a := range n.args {
		visit(a)
	}
}

// Eval evaluates the condition against item; a nil item is a missing one,
// in which every attribute is missing. Conditions are two-valued, as in
// DynamoDB: a comparison with a missing attribute or with a value of
// another type is false. The error result is always nil: DynamoDB checks
// operand types before evaluating, and the checks are done by
// ParseCondition.
func (c *Condition) Eval(item Item) (bool, error) {
	return evalCond(c.root, item), nil
}

func evalCond(n *cond, item Item) bool {
	switch n.kind {
	case cOr:
		return evalCond(n.kids[0], item) || evalCond(n.kids[1], item)
	case cAnd:
		return evalCond(n.kids[0], item) && evalCond(n.kids[1], item)
	case cNot:
		return !evalCond(n.kids[0], item)
	case cCompare:
		l, r := evalOperand(n.args[0], item), evalOperand(n.args[1], item)
		switch n.op {
		case "=":
			return l != nil && r != nil && value.Equal(l, r)
		case "<>":
			return !(l != nil && r != nil && value.Equal(l, r))
		}
		cmp, ok := value.Compare(l, r)
		if !ok {
			return false
		}
		switch n.op {
		case "<":
			return cmp < 0
		case "<=":
			return cmp <= 0
		case ">":
			return cmp > 0
		}
		return cmp >= 0
	case cBetween:
		v := evalOperand(n.args[0], item)
		lo, ok1 := value.Compare(v, evalOperand(n.args[1], item))
		hi, ok2 := value.Compare(v, evalOperand(n.args[2], item))
		return ok1 && ok2 && lo >= 0 && hi <= 0
	case cIn:
		v := evalOperand(n.args[0], item)
		if v == nil {
			return false
		}
		for _, a := range n.args[1:] {
			if w := evalOperand(a, item); w != nil && value.Equal(v, w) {
				return true
			}
		}
		return false
	}
	return evalFunction(n.args[0], item)
}

// evalFunction evaluates a boolean function call.
func evalFunction(f *operand, item Item) bool {
	switch f.fn.text {
	case "attribute_exists":
		return resolve(item, f.args[0].path) != nil
	case "attribute_not_exists":
		return resolve(item, f.args[0].path) == nil
	case "attribute_type":
		v := resolve(item, f.args[0].path)
		t, ok := evalOperand(f.args[1], item).(*types.AttributeValueMemberS)
		return v != nil && ok && value.TypeName(v) == t.Value
	case "begins_with":
		switch x := evalOperand(f.args[0], item).(type) {
		case *types.AttributeValueMemberS:
			y, ok := evalOperand(f.args[1], item).(*types.AttributeValueMemberS)
			return ok && strings.HasPrefix(x.Value, y.Value)
		case *types.AttributeValueMemberB:
			y, ok := evalOperand(f.args[1], item).(*types.AttributeValueMemberB)
			return ok && bytes.HasPrefix(x.Value, y.Value)
		}
		return false
	case "contains":
		return contains(evalOperand(f.args[0], item), evalOperand(f.args[1], item))
	}
	return false
}

// contains is DynamoDB's contains(a, b): a substring of a string, a
// sub-sequence of bytes, an element of a set of b's type or of a list.
func contains(a, b types.AttributeValue) bool {
	if b == nil {
		return false
	}
	switch x := a.(type) {
	case *types.AttributeValueMemberS:
		y, ok := b.(*types.AttributeValueMemberS)
		return ok && strings.Contains(x.Value, y.Value)
	case *types.AttributeValueMemberB:
		y, ok := b.(*types.AttributeValueMemberB)
		return ok && bytes.Contains(x.Value, y.Value)
	case *types.AttributeValueMemberSS:
		y, ok := b.(*types.AttributeValueMemberS)
		return ok && containsElem(x.Value, y.Value, func(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} })
	case *types.AttributeValueMemberNS:
		y, ok := b.(*types.AttributeValueMemberN)
		return ok && containsElem(x.Value, y.Value, func(s string) types.AttributeValue { return &types.AttributeValueMemberN{Value: s} })
	case *types.AttributeValueMemberBS:
		y, ok := b.(*types.AttributeValueMemberB)
		return ok && containsElem(x.Value, y.Value, func(s []byte) types.AttributeValue { return &types.AttributeValueMemberB{Value: s} })
	case *types.AttributeValueMemberL:
		for _, e := range x.Value {
			if value.Equal(e, b) {
				return true
			}
		}
	}
	return false
}

func containsElem[E any](set []E, e E, wrap func(E) types.AttributeValue) bool {
	w := wrap(e)
	for _, s := range set {
		if value.Equal(wrap(s), w) {
			return true
		}
	}
	return false
}

// evalOperand returns the value of o in item, or nil when it has none (a
// missing attribute, size of a number).
func evalOperand(o *operand, item Item) types.AttributeValue {
	switch o.kind {
	case oPath:
		return resolve(item, o.path)
	case oValue:
		return o.val
	case oFunc:
		if o.fn.text == "size" {
			return size(evalOperand(o.args[0], item))
		}
	}
	return nil
}

// size is DynamoDB's size(): the length of a string in UTF-16 code units
// (DynamoDB Local counts as Java's String.length does), of a
// binary in bytes, the element count of a set, list or map; nil for other
// types and missing attributes.
func size(v types.AttributeValue) types.AttributeValue {
	n, ok := value.Size(v)
	if !ok {
		return nil
	}
	return &types.AttributeValueMemberN{Value: itoa(n)}
}

// resolve returns the value at path p in item, or nil.
func resolve(item Item, p Path) types.AttributeValue {
	if len(p) == 0 || item == nil {
		return nil
	}
	v := item[p[0].Name]
	for _, e := range p[1:] {
		switch x := v.(type) {
		case *types.AttributeValueMemberM:
			if e.IsIndex {
				return nil
			}
			v = x.Value[e.Name]
		case *types.AttributeValueMemberL:
			if !e.IsIndex || e.Index >= len(x.Value) {
				return nil
			}
			v = x.Value[e.Index]
		default:
			return nil
		}
	}
	return v
}
