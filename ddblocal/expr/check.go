package expr

import (
	"math"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// maxInOperands is the most values an IN list may hold.
const maxInOperands = 100

// checker resolves placeholders and checks operand types in one pass from
// left to right, so that the first problem found is the one DynamoDB
// reports.
type checker struct {
	p      *parser
	attrs  Attrs
	used   *Used
	update bool // an update expression: its functions, and its messages
	// deferBounds records a BETWEEN whose bounds are out of order in
	// bounds instead of failing: DynamoDB Local reports that error of a
	// key condition only after checking the FilterExpression.
	deferBounds bool
	bounds      error
}

func newChecker(p *parser, a Attrs, used *Used) *checker {
	if used == nil {
		used = NewUsed()
	}
	return &checker{p: p, attrs: a, used: used, update: p.update}
}

// path resolves raw into a Path.
func (c *checker) path(raw []rawElem) (Path, error) {
	path := make(Path, 0, len(raw))
	for _, e := range raw {
		switch {
		case e.isIndex:
			n, err := strconv.ParseInt(e.tok.text, 10, 64)
			if err != nil || n > math.MaxInt32 {
				return nil, c.p.fail("List index is not within the allowable range; index: [%s]", e.tok.text)
			}
			path = append(path, PathElem{Index: int(n), IsIndex: true})
		case e.tok.kind == tName:
			name, ok := c.attrs.Names[e.tok.text]
			if !ok {
				return nil, c.p.fail("An expression attribute name used in the document path is not defined; attribute name: %s", e.tok.text)
			}
			c.used.Names[e.tok.text] = true
			path = append(path, PathElem{Name: name})
		default:
			path = append(path, PathElem{Name: e.tok.text})
		}
	}
	return path, nil
}

// operand resolves o and its arguments.
func (c *checker) operand(o *operand) error {
	switch o.kind {
	case oPath:
		path, err := c.path(o.raw)
		o.path = path
		return err
	case oValue:
		v, ok := c.attrs.Values[o.ref.text]
		if !ok {
			return c.p.fail("An expression attribute value used in expression is not defined; attribute value: %s", o.ref.text)
		}
		c.used.Values[o.ref.text] = true
		o.val = v
		return nil
	case oArith:
		for _, a := range o.args {
			if err := c.operand(a); err != nil {
				return err
			}
		}
		for _, a := range o.args {
			if t := staticType(a); t != "" && t != "N" {
				return c.incorrectType(o.op, t)
			}
		}
		return nil
	}
	return c.function(o)
}

// The first checks DynamoDB Local makes, while it turns the parse tree into
// an expression tree and before it resolves any placeholder, go through the
// expression in source order: every list index must be in range, every
// function known and allowed where it stands, and no section of an update
// may come twice. walkCondition, walkUpdate and walkPaths make them.

// walkCondition makes the source-order checks of a condition.
func (c *checker) walkCondition(n *cond) error {
	switch n.kind {
	case cOr, cAnd, cNot:
		for _, k := range n.kids {
			if err := c.walkCondition(k); err != nil {
				return err
			}
		}
		return nil
	case cFunc:
		return c.walkOperand(n.args[0], false)
	}
	for _, a := range n.args {
		if err := c.walkOperand(a, true); err != nil {
			return err
		}
	}
	return nil
}

// walkUpdate makes the source-order checks of an update's clauses.
func (c *checker) walkUpdate(clauses []clause) error {
	seen := map[string]bool{}
	for _, cl := range clauses {
		for _, a := range cl.actions {
			if err := c.walkOperand(a.target, false); err != nil {
				return err
			}
			if a.value != nil {
				if err := c.walkOperand(a.value, false); err != nil {
					return err
				}
			}
		}
		if seen[cl.keyword] {
			return c.p.fail("The %q section can only be used once in an update expression;", cl.keyword)
		}
		seen[cl.keyword] = true
	}
	return nil
}

// walkPaths makes the source-order checks of a list of paths.
func (c *checker) walkPaths(raws [][]rawElem) error {
	for _, raw := range raws {
		if err := c.walkOperand(&operand{kind: oPath, raw: raw}, false); err != nil {
			return err
		}
	}
	return nil
}

// walkOperand makes the source-order checks of o; nested is set inside a
// function call, an arithmetic operation or (in a condition) a comparison.
func (c *checker) walkOperand(o *operand, nested bool) error {
	switch o.kind {
	case oPath:
		for _, e := range o.raw {
			if e.isIndex {
				if n, err := strconv.ParseInt(e.tok.text, 10, 64); err != nil || n > math.MaxInt32 {
					return c.p.fail("List index is not within the allowable range; index: [%s]", e.tok.text)
				}
			}
		}
	case oFunc:
		if err := c.callAllowed(o.fn.text, nested); err != nil {
			return err
		}
		fallthrough
	case oArith:
		for _, a := range o.args {
			if err := c.walkOperand(a, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// callAllowed checks that the function name is known and may stand where
// it does: in an update only the update functions, and nested only
// if_not_exists; in a condition only the condition functions, as the whole
// of a condition only the boolean ones, and nested only size.
func (c *checker) callAllowed(name string, nested bool) error {
	_, isCond := conditionFunctions[name]
	_, isOperand := operandFunctions[name]
	_, isUpdate := updateFunctions[name]
	switch {
	case !isCond && !isOperand && !isUpdate:
		return c.p.fail("Invalid function name; function: %s", name)
	case c.update && !isUpdate:
		return c.p.fail("The function is not allowed in an update expression; function: %s", name)
	case !c.update && isUpdate:
		return c.p.fail("The function is not allowed in a condition expression; function: %s", name)
	case c.update && nested && name != "if_not_exists", !c.update && nested == isCond:
		return c.p.fail("The function is not allowed to be used this way in an expression; function: %s", name)
	}
	return nil
}

// Functions by where they may appear.
var (
	conditionFunctions = map[string]int{ // boolean functions → operand count
		"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2,
		"begins_with": 2, "contains": 2,
	}
	operandFunctions = map[string]int{"size": 1}
	updateFunctions  = map[string]int{"if_not_exists": 2, "list_append": 2}
)

// function checks the call f, whose name and place walk has checked.
func (c *checker) function(f *operand) error {
	name := f.fn.text
	want, isCond := conditionFunctions[name]
	n, isOperand := operandFunctions[name]
	m, isUpdate := updateFunctions[name]
	if !isCond && !isOperand && !isUpdate {
		return c.p.fail("Invalid function name; function: %s", name)
	}
	if isOperand {
		want = n
	} else if isUpdate {
		want = m
	}
	if len(f.args) != want {
		return c.p.fail("Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", name, len(f.args))
	}
	for _, a := range f.args {
		if err := c.operand(a); err != nil {
			return err
		}
	}
	switch name {
	case "attribute_exists", "attribute_not_exists", "if_not_exists":
		if f.args[0].kind != oPath {
			return c.p.fail("Operator or function requires a document path; operator or function: %s", name)
		}
	case "attribute_type":
		if f.args[0].kind != oPath {
			return c.p.fail("Operator or function requires a document path; operator or function: %s", name)
		}
		t := staticType(f.args[1])
		switch {
		case f.args[1].kind == oPath:
			return c.incorrectType(name, "{FS,DECIMAL,DECIMALSET,S,DOUBLESET,DOUBLE,BS,HD,N,M,NS,DICT,FLOAT,INT,B,L,INTSET,SS,BOOL,NULL,HDS}")
		case t != "S":
			return c.incorrectType(name, t)
		}
		s := f.args[1].val.(*types.AttributeValueMemberS).Value
		if !validTypeName[s] {
			return c.p.fail("Invalid attribute type name found; type: %s, valid types: {N,BS,L,B,NULL,M,S,SS,NS,BOOL}", s)
		}
	case "begins_with":
		for _, a := range f.args {
			if t := staticType(a); t != "" && t != "S" && t != "B" {
				return c.incorrectType(name, t)
			}
		}
	case "size":
		if t := staticType(f.args[0]); t == "N" || t == "BOOL" || t == "NULL" {
			return c.incorrectType(name, t)
		}
	case "list_append":
		for _, a := range f.args {
			if t := staticType(a); t != "" && t != "L" {
				return c.incorrectType(name, t)
			}
		}
	}
	return nil
}

func (c *checker) incorrectType(op, t string) *Error {
	return c.p.fail("Incorrect operand type for operator or function; operator or function: %s, operand type: %s", op, t)
}

// validTypeName holds the type names attribute_type accepts.
var validTypeName = map[string]bool{
	"S": true, "N": true, "B": true, "BOOL": true, "NULL": true,
	"SS": true, "NS": true, "BS": true, "L": true, "M": true,
}

// staticType is the DynamoDB type an operand is known to have before any
// item is read ("S", "N", ...), or "" when it depends on the item.
func staticType(o *operand) string {
	switch o.kind {
	case oValue:
		return value.TypeName(o.val)
	case oArith:
		return "N"
	case oFunc:
		switch o.fn.text {
		case "size":
			return "N"
		case "list_append":
			return "L"
		}
	}
	return ""
}

// checkCondition checks the condition tree root: first in source order
// (walkCondition), then node by node (condition).
func (c *checker) checkCondition(root *cond) error {
	if err := c.walkCondition(root); err != nil {
		return err
	}
	return c.condition(root)
}

// condition checks the tree n.
func (c *checker) condition(n *cond) error {
	switch n.kind {
	case cOr, cAnd, cNot:
		for _, k := range n.kids {
			if err := c.condition(k); err != nil {
				return err
			}
		}
		return nil
	case cFunc:
		return c.function(n.args[0])
	case cIn:
		if len(n.args)-1 > maxInOperands {
			return c.p.fail("The IN operator is provided with too many operands; number of operands: %d", len(n.args)-1)
		}
	}
	for _, a := range n.args {
		if err := c.operand(a); err != nil {
			return err
		}
	}
	switch n.kind {
	case cCompare:
		if n.op != "=" && n.op != "<>" {
			for _, a := range n.args {
				if t := staticType(a); t != "" && t != "S" && t != "N" && t != "B" {
					return c.incorrectType(n.op, t)
				}
			}
		}
	}
	if err := c.distinct(n); err != nil {
		return err
	}
	switch n.kind {
	case cBetween:
		for _, a := range n.args {
			if t := staticType(a); t != "" && t != "S" && t != "N" && t != "B" {
				return c.incorrectType("BETWEEN", t)
			}
		}
		lo, hi := n.args[1], n.args[2]
		if lo.kind == oValue && hi.kind == oValue {
			if value.TypeName(lo.val) != value.TypeName(hi.val) {
				return c.p.fail("The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: %s, upper bound operand: AttributeValue: %s", javaString(lo.val), javaString(hi.val))
			}
			if cmp, ok := value.Compare(lo.val, hi.val); ok && cmp > 0 {
				err := c.p.fail("The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: %s, upper bound operand: AttributeValue: %s", javaString(lo.val), javaString(hi.val))
				if !c.deferBounds {
					return err
				}
				if c.bounds == nil {
					c.bounds = err
				}
			}
		}
	}
	return nil
}

// distinct refuses a comparison, BETWEEN or IN whose first operand, a
// path, appears again among the others.
func (c *checker) distinct(n *cond) error {
	first := n.args[0]
	if first.kind != oPath {
		return nil
	}
	for _, o := range n.args[1:] {
		if o.kind == oPath && samePath(first.path, o.path) {
			op := n.op
			switch n.kind {
			case cBetween:
				op = "BETWEEN"
			case cIn:
				op = "IN"
			}
			return c.p.fail("The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: %s", op, first.path)
		}
	}
	return nil
}

func samePath(a, b Path) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
