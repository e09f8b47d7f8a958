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
}

// setTypeName names a value's type as DynamoDB's messages about ADD and
// DELETE operands do.
var setTypeName = map[string]string{
	"S": "STRING", "N": "NUMBER", "B": "BINARY", "BOOL": "BOOLEAN", "NULL": "NULL",
	"SS": "STRING_SET", "NS": "NUMBER_SET", "BS": "BINARY_SET", "L": "LIST", "M": "MAP",
}

// ParseUpdate parses and checks an UpdateExpression; placeholders it uses
// are recorded in used.
func ParseUpdate(src string, a Attrs, used *Used) (*Update, error) {
	p := newParser(src, "UpdateExpression")
	p.update = true
	var clauses []clause
	if err := p.parse(func() { clauses = p.updateClauses() }); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, c := range clauses {
		if seen[c.keyword] {
			return nil, p.fail("The %q section can only be used once in an update expression;", c.keyword)
		}
		seen[c.keyword] = true
	}
	ch := newChecker(p, a, used)
	u := &Update{clauses: clauses}
	for _, c := range clauses {
		for _, act := range c.actions {
			if err := ch.operand(act.target); err != nil {
				return nil, err
			}
			u.targets = append(u.targets, act.target.path)
			if act.value == nil {
				continue
			}
			if err := ch.operand(act.value); err != nil {
				return nil, err
			}
			t := typeName(act.value.val)
			switch {
			case c.keyword == "ADD" && t != "N" && t != "SS" && t != "NS" && t != "BS":
				return nil, p.fail("Incorrect operand type for operator or function; operator: ADD, operand type: %s, typeSet: ALLOWED_FOR_ADD_OPERAND", setTypeName[t])
			case c.keyword == "DELETE" && t != "SS" && t != "NS" && t != "BS":
				return nil, p.fail("Incorrect operand type for operator or function; operator: DELETE, operand type: %s, typeSet: ALLOWED_FOR_DELETE_OPERAND", setTypeName[t])
			}
		}
	}
	if err := checkOverlap(p, u.targets); err != nil {
		return nil, err
	}
	return u, nil
}

// checkOverlap refuses two paths of which one is a prefix of the other
// ("overlap"), or that use a list index and a map key at the same place
// ("conflict"). DynamoDB Local names the later path of an overlap as the
// last path of the expression, whichever it is; so does this.
func checkOverlap(p *parser, paths []Path) error {
	for i, cur := range paths {
		for _, prev := range paths[:i] {
			n := min(len(cur), len(prev))
			diverge := false
			for k := 0; k < n && !diverge; k++ {
				a, b := prev[k], cur[k]
				switch {
				case a.IsIndex != b.IsIndex:
					return p.fail("Two document paths conflict with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", prev, cur)
				case a != b:
					diverge = true
				}
			}
			if !diverge {
				return p.fail("Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", prev, paths[len(paths)-1])
			}
		}
	}
	return nil
}

// Paths returns the document paths the update writes, in source order.
func (u *Update) Paths() []Path { return u.targets }

// Apply returns the item after the update; item may be nil or empty for an
// item that does not exist yet, and is never modified. Values on the right
// of SET are read from item as it was before the update, as DynamoDB does.
func (u *Update) Apply(item Item) (Item, error) {
	out := make(Item, len(item))
	for k, v := range item {
		out[k] = deepCopy(v)
	}
	// REMOVE marks list elements and deletes map entries first, so that
	// every list index of the expression refers to the list as it was;
	// the marked elements leave their lists at the end.
	for _, c := range u.clauses {
		if c.keyword != "REMOVE" {
			continue
		}
		for _, a := range c.actions {
			if err := remove(out, a.target.path); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range u.clauses {
		switch c.keyword {
		case "SET":
			values := make([]types.AttributeValue, len(c.actions))
			for i, a := range c.actions {
				v, err := evalUpdateOperand(a.value, item)
				if err != nil {
					return nil, err
				}
				values[i] = v
			}
			for i, a := range c.actions {
				if err := assign(out, a.target.path, values[i]); err != nil {
					return nil, err
				}
			}
		case "ADD":
			for _, a := range c.actions {
				if err := add(out, a.target.path, a.value.val); err != nil {
					return nil, err
				}
			}
		case "DELETE":
			for _, a := range c.actions {
				if err := deleteFromSet(out, a.target.path, a.value.val); err != nil {
					return nil, err
				}
			}
		}
	}
	for k, v := range out {
		out[k] = sweep(v)
	}
	return out, nil
}

// removed marks a list element that REMOVE deletes; compared by identity.
var removed types.AttributeValue = &types.AttributeValueMemberNULL{Value: true}

// sweep drops the elements marked removed from the lists in v.
func sweep(v types.AttributeValue) types.AttributeValue {
	switch x := v.(type) {
	case *types.AttributeValueMemberL:
		kept := x.Value[:0]
		for _, e := range x.Value {
			if e != removed {
				kept = append(kept, sweep(e))
			}
		}
		x.Value = kept
	case *types.AttributeValueMemberM:
		for k, e := range x.Value {
			x.Value[k] = sweep(e)
		}
	}
	return v
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
	d.Reduce(d)
	if !d.IsZero() {
		switch adj := int64(d.Exponent) + d.NumDigits() - 1; {
		case adj > 125:
			return nil, &Error{Message: msgOverflow}
		case adj < -130:
			return nil, &Error{Message: "Number underflow. Attempting to store a number with magnitude smaller than supported range"}
		case d.NumDigits() > value.MaxDigits:
			return nil, &Error{Message: "DynamoDB only supports precision up to 38 digits"}
		}
	}
	return &types.AttributeValueMemberN{Value: value.FormatNumber(d)}, nil
}

const msgOverflow = "Number overflow. Attempting to store a number with magnitude larger than supported range"

// exactContext adds and subtracts stored numbers without rounding: their
// digits span at most 38 + 125 + 130 places.
var exactContext = apd.Context{Precision: 400, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Traps: apd.InvalidOperation}

// assign stores v at path p of item. The parent of p must exist and be a
// map (for a key) or a list (for an index); an index past the end of a list
// appends.
func assign(item Item, p Path, v types.AttributeValue) error {
	if len(p) == 1 {
		item[p[0].Name] = v
		return nil
	}
	last := p[len(p)-1]
	switch parent := resolve(item, p[:len(p)-1]).(type) {
	case *types.AttributeValueMemberM:
		if !last.IsIndex {
			parent.Value[last.Name] = v
			return nil
		}
	case *types.AttributeValueMemberL:
		if last.IsIndex {
			if last.Index < len(parent.Value) {
				parent.Value[last.Index] = v
			} else {
				parent.Value = append(parent.Value, v)
			}
			return nil
		}
	}
	return &Error{Message: msgInvalidUpdatePath}
}

// remove deletes the value at path p of item, if there is one; a list
// element is only marked, for sweep. The parent of p must exist.
func remove(item Item, p Path) error {
	if len(p) == 1 {
		delete(item, p[0].Name)
		return nil
	}
	last := p[len(p)-1]
	switch parent := resolve(item, p[:len(p)-1]).(type) {
	case *types.AttributeValueMemberM:
		if !last.IsIndex {
			delete(parent.Value, last.Name)
			return nil
		}
	case *types.AttributeValueMemberL:
		if last.IsIndex {
			if last.Index < len(parent.Value) {
				parent.Value[last.Index] = removed
			}
			return nil
		}
	}
	return &Error{Message: msgInvalidUpdatePath}
}

// parentValid reports whether the parent of p exists and is a container of
// the kind p's last step needs.
func parentValid(item Item, p Path) bool {
	if len(p) == 1 {
		return true
	}
	last := p[len(p)-1]
	switch resolve(item, p[:len(p)-1]).(type) {
	case *types.AttributeValueMemberM:
		return !last.IsIndex
	case *types.AttributeValueMemberL:
		return last.IsIndex
	}
	return false
}

// add is ADD: a number is added to a number, a set's elements to a set of
// the same type; a missing attribute takes the operand as its value.
func add(item Item, p Path, v types.AttributeValue) error {
	old := resolve(item, p)
	if old == nil {
		return assign(item, p, v)
	}
	var sum types.AttributeValue
	var err error
	switch x := old.(type) {
	case *types.AttributeValueMemberN:
		sum, err = arith("+", x, v)
	case *types.AttributeValueMemberSS:
		y, ok := v.(*types.AttributeValueMemberSS)
		if !ok {
			return &Error{Message: msgIncorrectType}
		}
		sum = &types.AttributeValueMemberSS{Value: union(x.Value, y.Value, func(s string) string { return s })}
	case *types.AttributeValueMemberNS:
		y, ok := v.(*types.AttributeValueMemberNS)
		if !ok {
			return &Error{Message: msgIncorrectType}
		}
		sum = &types.AttributeValueMemberNS{Value: union(x.Value, y.Value, numberKey)}
	case *types.AttributeValueMemberBS:
		y, ok := v.(*types.AttributeValueMemberBS)
		if !ok {
			return &Error{Message: msgIncorrectType}
		}
		sum = &types.AttributeValueMemberBS{Value: union(x.Value, y.Value, func(b []byte) string { return string(b) })}
	default:
		return &Error{Message: msgIncorrectType}
	}
	if err != nil {
		return err
	}
	return assign(item, p, sum)
}

// deleteFromSet is DELETE: the operand's elements leave the set at p; a set
// left empty is removed, as DynamoDB stores no empty sets.
func deleteFromSet(item Item, p Path, v types.AttributeValue) error {
	if !parentValid(item, p) {
		return &Error{Message: msgInvalidUpdatePath}
	}
	old := resolve(item, p)
	if old == nil {
		return nil
	}
	var rest types.AttributeValue
	var n int
	switch x := old.(type) {
	case *types.AttributeValueMemberSS:
		y, ok := v.(*types.AttributeValueMemberSS)
		if !ok {
			return &Error{Message: msgIncorrectType}
		}
		s := difference(x.Value, y.Value, func(s string) string { return s })
		rest, n = &types.AttributeValueMemberSS{Value: s}, len(s)
	case *types.AttributeValueMemberNS:
		y, ok := v.(*types.AttributeValueMemberNS)
		if !ok {
			return &Error{Message: msgIncorrectType}
		}
		s := difference(x.Value, y.Value, numberKey)
		rest, n = &types.AttributeValueMemberNS{Value: s}, len(s)
	case *types.AttributeValueMemberBS:
		y, ok := v.(*types.AttributeValueMemberBS)
		if !ok {
			return &Error{Message: msgIncorrectType}
		}
		s := difference(x.Value, y.Value, func(b []byte) string { return string(b) })
		rest, n = &types.AttributeValueMemberBS{Value: s}, len(s)
	default:
		return &Error{Message: msgIncorrectType}
	}
	if n == 0 {
		return remove(item, p)
	}
	return assign(item, p, rest)
}

// numberKey is the canonical text of a number set element.
func numberKey(s string) string {
	if n, err := value.NormalizeNumber(s); err == nil {
		return n
	}
	return s
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
