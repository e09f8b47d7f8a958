package expr

import (
	"slices"

	"github.com/cockroachdb/apd/v3"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/value"
)

// Update is a parsed UpdateExpression.
type Update struct {
	clauses []clause
	targets []Path
	// tree holds the target paths as DynamoDB Local's update tree does;
	// Apply walks it.
	tree *pathTree
}

// setTypeName names a value's type as DynamoDB's messages about ADD and
// DELETE operands do.
var setTypeName = map[string]string{
	"S": "STRING", "N": "NUMBER", "B": "BINARY", "BOOL": "BOOLEAN", "NULL": "NULL",
	"SS": "STRING_SET", "NS": "NUMBER_SET", "BS": "BINARY_SET", "L": "LIST", "M": "MAP",
}

// updateStep is one action of an update with the keyword of its clause.
type updateStep struct {
	keyword string
	*action
}

// ParseUpdate parses and checks an UpdateExpression; placeholders it uses
// are recorded in used.
//
// DynamoDB Local checks an update in three rounds, and checking in the
// same order finds the same first problem: in source order, list indexes,
// function names and places, and repeated sections (walkUpdate); then,
// taking the actions last first, every target path (resolving its #names
// and inserting it into the tree that finds overlapping paths); then, again
// last first, every value.
func ParseUpdate(src string, a Attrs, used *Used) (*Update, error) {
	p := newParser(src, "UpdateExpression")
	p.update = true
	var clauses []clause
	if err := p.parse(func() { clauses = p.updateClauses() }); err != nil {
		return nil, err
	}
	ch := newChecker(p, a, used)
	if err := ch.walkUpdate(clauses); err != nil {
		return nil, err
	}
	var steps []updateStep
	for _, c := range clauses {
		for i := range c.actions {
			steps = append(steps, updateStep{c.keyword, &c.actions[i]})
		}
	}
	slices.Reverse(steps)
	tree := &pathTree{}
	for _, st := range steps {
		if err := ch.operand(st.target); err != nil {
			return nil, err
		}
		if err := tree.insert(p, st.target.path); err != nil {
			return nil, err
		}
		tree.attach(st.target.path, st)
	}
	for _, st := range steps {
		if st.value == nil {
			continue
		}
		if err := ch.operand(st.value); err != nil {
			return nil, err
		}
		t := value.TypeName(st.value.val)
		switch {
		case st.keyword == "ADD" && t != "N" && t != "SS" && t != "NS" && t != "BS":
			return nil, p.fail("Incorrect operand type for operator or function; operator: ADD, operand type: %s, typeSet: ALLOWED_FOR_ADD_OPERAND", setTypeName[t])
		case st.keyword == "DELETE" && t != "SS" && t != "NS" && t != "BS":
			return nil, p.fail("Incorrect operand type for operator or function; operator: DELETE, operand type: %s, typeSet: ALLOWED_FOR_DELETE_OPERAND", setTypeName[t])
		}
	}
	u := &Update{clauses: clauses, tree: tree}
	for _, c := range clauses {
		for _, act := range c.actions {
			u.targets = append(u.targets, act.target.path)
		}
	}
	return u, nil
}

// Paths returns the document paths the update writes, in source order.
func (u *Update) Paths() []Path { return u.targets }

// Apply returns the item after the update; item may be nil or empty for an
// item that does not exist yet, and is never modified. Values on the right
// of SET are read from item as it was before the update, as DynamoDB does.
//
// As DynamoDB Local does, Apply walks the tree of target paths from the
// top-level attributes down, visiting the children of each step in the
// iteration order of the java.util.HashMap that holds them, and fails at
// the first step the item cannot take; so the first error it meets is
// DynamoDB Local's.
func (u *Update) Apply(item Item) (Item, error) {
	if item == nil {
		item = Item{}
	}
	out, err := applyNode(&u.tree.root, &types.AttributeValueMemberM{Value: item}, item)
	if err != nil {
		return nil, err
	}
	return out.(*types.AttributeValueMemberM).Value, nil
}

// applyNode returns doc, a map or a list, with the updates of n's subtree
// applied; item is the whole item before the update.
func applyNode(n *ptNode, doc types.AttributeValue, item Item) (types.AttributeValue, error) {
	m, isMap := doc.(*types.AttributeValueMemberM)
	l, isList := doc.(*types.AttributeValueMemberL)
	if !isMap && !isList {
		return nil, &Error{Message: msgInvalidUpdatePath}
	}
	keys := map[string]types.AttributeValue{}
	indexes := map[int]types.AttributeValue{}
	for _, e := range n.ordered() {
		if e.IsIndex != isList {
			return nil, &Error{Message: msgInvalidUpdatePath}
		}
		var child types.AttributeValue
		switch {
		case isMap:
			child = m.Value[e.Name]
		case e.Index < len(l.Value):
			child = l.Value[e.Index]
		}
		var res types.AttributeValue
		var err error
		switch kid := n.kids[e]; {
		case kid == nil:
			res, err = n.acts[e].apply(child, item)
		case child != nil:
			res, err = applyNode(kid, child, item)
		default:
			err = &Error{Message: msgInvalidUpdatePath}
		}
		if err != nil {
			return nil, err
		}
		if res == nil {
			continue
		}
		if isMap {
			keys[e.Name] = res
		} else {
			indexes[e.Index] = res
		}
	}
	if isMap {
		for k, v := range m.Value {
			if _, touched := n.kids[PathElem{Name: k}]; !touched {
				keys[k] = deepCopy(v)
			}
		}
		return &types.AttributeValueMemberM{Value: keys}, nil
	}
	for i, v := range l.Value {
		if _, touched := n.kids[PathElem{Index: i, IsIndex: true}]; !touched {
			indexes[i] = deepCopy(v)
		}
	}
	idx := make([]int, 0, len(indexes))
	for i := range indexes {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	out := make([]types.AttributeValue, len(idx))
	for j, i := range idx {
		out[j] = indexes[i]
	}
	return &types.AttributeValueMemberL{Value: out}, nil
}

// apply returns the new value of the attribute the step writes, given its
// old value (nil if none); nil removes it.
func (st *updateStep) apply(old types.AttributeValue, item Item) (types.AttributeValue, error) {
	switch st.keyword {
	case "SET":
		v, err := evalUpdateOperand(st.value, item)
		if err != nil {
			return nil, err
		}
		return deepCopy(v), nil
	case "ADD":
		if old == nil {
			return st.value.val, nil
		}
		return addValues(old, st.value.val)
	case "DELETE":
		if old == nil {
			return nil, nil
		}
		return deleteValues(old, st.value.val)
	}
	return nil, nil // REMOVE
}

// evalUpdateOperand computes the value of a SET's right-hand side over the
// item before the update.
func evalUpdateOperand(o *operand, item Item) (types.AttributeValue, error) {
	switch o.kind {
	case oValue:
		return o.val, nil
	case oPath:
		v := resolve(item, o.path)
		if v == nil {
			return nil, &Error{Message: msgMissingOperand}
		}
		return v, nil
	case oArith:
		l, err := evalUpdateOperand(o.args[0], item)
		if err != nil {
			return nil, err
		}
		// A left operand that is not a number fails before the right one
		// is read, as in DynamoDB Local.
		if _, ok := l.(*types.AttributeValueMemberN); !ok {
			return nil, &Error{Message: msgIncorrectType}
		}
		r, err := evalUpdateOperand(o.args[1], item)
		if err != nil {
			return nil, err
		}
		return arith(o.op, l, r)
	}
	switch o.fn.text {
	case "if_not_exists":
		if v := resolve(item, o.args[0].path); v != nil {
			return v, nil
		}
		return evalUpdateOperand(o.args[1], item)
	case "list_append":
		l, err := evalUpdateOperand(o.args[0], item)
		if err != nil {
			return nil, err
		}
		r, err := evalUpdateOperand(o.args[1], item)
		if err != nil {
			return nil, err
		}
		x, ok1 := l.(*types.AttributeValueMemberL)
		y, ok2 := r.(*types.AttributeValueMemberL)
		if !ok1 || !ok2 {
			return nil, &Error{Message: msgIncorrectType}
		}
		return &types.AttributeValueMemberL{Value: append(slices.Clone(x.Value), y.Value...)}, nil
	}
	return nil, &Error{Message: msgIncorrectType}
}

// arith computes l + r or l - r of two numbers exactly, and refuses a
// result DynamoDB cannot store with DynamoDB's messages.
func arith(op string, l, r types.AttributeValue) (types.AttributeValue, error) {
	x, ok1 := l.(*types.AttributeValueMemberN)
	y, ok2 := r.(*types.AttributeValueMemberN)
	if !ok1 || !ok2 {
		return nil, &Error{Message: msgIncorrectType}
	}
	a, _, err1 := apd.NewFromString(x.Value)
	b, _, err2 := apd.NewFromString(y.Value)
	if err1 != nil || err2 != nil {
		return nil, &Error{Message: msgIncorrectType}
	}
	d := new(apd.Decimal)
	f := exactContext.Add
	if op == "-" {
		f = exactContext.Sub
	}
	if _, err := f(d, a, b); err != nil {
		return nil, &Error{Message: msgOverflow}
	}
	// The limits apply to the significant digits; the result is written
	// as Java's BigDecimal.toPlainString writes the exact sum, as DynamoDB
	// Local does: 5.0 + 0 is 5.0, 1e3 + 1e3 is 2000.
	reduced := new(apd.Decimal)
	reduced.Reduce(d)
	if !reduced.IsZero() {
		switch adj := int64(reduced.Exponent) + reduced.NumDigits() - 1; {
		case adj > 125:
			return nil, &Error{Message: msgOverflow}
		case adj < -130:
			return nil, &Error{Message: "Number underflow. Attempting to store a number with magnitude smaller than supported range"}
		case reduced.NumDigits() > value.MaxDigits:
			return nil, &Error{Message: "DynamoDB only supports precision up to 38 digits"}
		}
	} else {
		d.Negative = false // Java has no negative zero
	}
	return &types.AttributeValueMemberN{Value: d.Text('f')}, nil
}

const msgOverflow = "Number overflow. Attempting to store a number with magnitude larger than supported range"

// exactContext adds and subtracts stored numbers without rounding: their
// digits span at most 38 + 125 + 130 places.
var exactContext = apd.Context{Precision: 400, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Traps: apd.InvalidOperation}

// addValues is ADD to an existing value: a number is added to a number, a
// set's elements to a set of the same type.
func addValues(old, v types.AttributeValue) (types.AttributeValue, error) {
	switch x := old.(type) {
	case *types.AttributeValueMemberN:
		return arith("+", x, v)
	case *types.AttributeValueMemberSS:
		if y, ok := v.(*types.AttributeValueMemberSS); ok {
			return &types.AttributeValueMemberSS{Value: union(x.Value, y.Value, func(s string) string { return s })}, nil
		}
	case *types.AttributeValueMemberNS:
		if y, ok := v.(*types.AttributeValueMemberNS); ok {
			return &types.AttributeValueMemberNS{Value: changedNumbers(x.Value, union(x.Value, y.Value, numberKey))}, nil
		}
	case *types.AttributeValueMemberBS:
		if y, ok := v.(*types.AttributeValueMemberBS); ok {
			return &types.AttributeValueMemberBS{Value: union(x.Value, y.Value, func(b []byte) string { return string(b) })}, nil
		}
	}
	return nil, &Error{Message: msgIncorrectType}
}

// deleteValues is DELETE from an existing value: the operand's elements
// leave the set; a set left empty is removed (nil), as DynamoDB stores no
// empty sets.
func deleteValues(old, v types.AttributeValue) (types.AttributeValue, error) {
	var rest types.AttributeValue
	var n int
	switch x := old.(type) {
	case *types.AttributeValueMemberSS:
		y, ok := v.(*types.AttributeValueMemberSS)
		if !ok {
			return nil, &Error{Message: msgIncorrectType}
		}
		s := difference(x.Value, y.Value, func(s string) string { return s })
		rest, n = &types.AttributeValueMemberSS{Value: s}, len(s)
	case *types.AttributeValueMemberNS:
		y, ok := v.(*types.AttributeValueMemberNS)
		if !ok {
			return nil, &Error{Message: msgIncorrectType}
		}
		s := changedNumbers(x.Value, difference(x.Value, y.Value, numberKey))
		rest, n = &types.AttributeValueMemberNS{Value: s}, len(s)
	case *types.AttributeValueMemberBS:
		y, ok := v.(*types.AttributeValueMemberBS)
		if !ok {
			return nil, &Error{Message: msgIncorrectType}
		}
		s := difference(x.Value, y.Value, func(b []byte) string { return string(b) })
		rest, n = &types.AttributeValueMemberBS{Value: s}, len(s)
	default:
		return nil, &Error{Message: msgIncorrectType}
	}
	if n == 0 {
		return nil, nil
	}
	return rest, nil
}

// numberKey is the canonical text of a number set element.
func numberKey(s string) string {
	if n, err := value.NormalizeNumber(s); err == nil {
		return n
	}
	return s
}

// changedNumbers is the number set after an ADD or DELETE changed old into
// next. DynamoDB Local keeps a set that the operation left as it was with
// its elements spelled as stored, and writes every element of a set that
// changed in canonical form.
func changedNumbers(old, next []string) []string {
	if len(next) == len(old) {
		return old
	}
	out := make([]string, len(next))
	for i, e := range next {
		out[i] = numberKey(e)
	}
	return out
}

func union[E any](xs, ys []E, key func(E) string) []E {
	seen := map[string]bool{}
	var out []E
	for _, list := range [][]E{xs, ys} {
		for _, e := range list {
			if k := key(e); !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
		}
	}
	return out
}

func difference[E any](xs, ys []E, key func(E) string) []E {
	drop := map[string]bool{}
	for _, y := range ys {
		drop[key(y)] = true
	}
	var out []E
	for _, x := range xs {
		if !drop[key(x)] {
			out = append(out, x)
		}
	}
	return out
}

// deepCopy copies v so that changes to the copy's maps and lists leave v
// alone. Scalars and sets are never changed in place and are shared.
func deepCopy(v types.AttributeValue) types.AttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberM:
		m := make(map[string]types.AttributeValue, len(x.Value))
		for k, e := range x.Value {
			m[k] = deepCopy(e)
		}
		return &types.AttributeValueMemberM{Value: m}
	case *types.AttributeValueMemberL:
		l := make([]types.AttributeValue, len(x.Value))
		for i, e := range x.Value {
			l[i] = deepCopy(e)
		}
		return &types.AttributeValueMemberL{Value: l}
	}
	return v
}
