package expr

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Path is a document path: a top-level attribute name, then map keys and
// list indexes.
type Path []PathElem

// PathElem is one step of a Path: a map key (or the top-level name), or,
// when IsIndex is set, a list index.
type PathElem struct {
	Name    string
	Index   int
	IsIndex bool
}

// String writes p as DynamoDB's messages do: "[a, b, [0]]".
func (p Path) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range p {
		if i > 0 {
			b.WriteString(", ")
		}
		if e.IsIndex {
			b.WriteString("[" + strconv.Itoa(e.Index) + "]")
		} else {
			b.WriteString(e.Name)
		}
	}
	b.WriteByte(']')
	return b.String()
}

// rawElem is a path step as written: a bare name, a #placeholder or a list
// index, before placeholders are resolved.
type rawElem struct {
	tok     token // the name, placeholder or index token
	isIndex bool
}

// operandKind says what an operand is.
type operandKind int

const (
	oPath  operandKind = iota // a document path
	oValue                    // a :value placeholder
	oFunc                     // a function call
	oArith                    // a + b or a - b (update expressions only)
)

// operand is a value-producing part of an expression. The parser fills the
// raw fields; the checker fills path and val.
type operand struct {
	kind operandKind
	raw  []rawElem  // oPath
	ref  token      // oValue: the placeholder
	fn   token      // oFunc: the function name
	args []*operand // oFunc: arguments; oArith: the two operands
	op   string     // oArith: "+" or "-"

	path Path                 // oPath, resolved
	val  types.AttributeValue // oValue, resolved
}

// condKind says what a condition node is.
type condKind int

const (
	cOr condKind = iota
	cAnd
	cNot
	cCompare // args[0] op args[1]
	cBetween // args[0] BETWEEN args[1] AND args[2]
	cIn      // args[0] IN (args[1:]...)
	cFunc    // a boolean function: fn(args...)
)

// cond is a node of a condition's tree.
type cond struct {
	kind condKind
	op   string     // cCompare: = <> < <= > >=; cFunc: the function name
	kids []*cond    // cOr, cAnd: two; cNot: one
	args []*operand // cCompare, cBetween, cIn; cFunc: the call, args[0]
}
