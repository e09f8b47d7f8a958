package conformance

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Random sequences: per sequence one table with random key types, then
// random item writes, reads, queries and scans with expressions built from
// a small grammar, valid and invalid. Both backends get the same calls.
const (
	randomSequences     = 3
	randomSteps         = 100 // per sequence
	randomSequencesLong = 12
	randomStepsLong     = 400
)

// defaultSeed fixes the random sequences of a plain run, so that the test
// command's result depends on the code alone; `-seed 0` explores new
// sequences (each run prints its seed for replay), as does -long.
const defaultSeed = 20261124

func runRandom(t *testing.T, ref *target, open func(*testing.T) *target, summary *report) {
	seed := *seedFlag
	if seed == 0 {
		seed = rand.Uint64()
	}
	t.Logf("random sequences: -seed %d", seed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay the random sequences with -seed %d", seed)
		}
	})
	sequences, steps := randomSequences, randomSteps
	if *longFlag {
		sequences, steps = randomSequencesLong, randomStepsLong
	}
	for i := range sequences {
		t.Run(fmt.Sprint("seq", i), func(t *testing.T) {
			g := &generator{rng: newRand(seed, uint64(i))}
			pair{ref: ref, cand: open(t), report: summary}.runCase(t, testCase{name: "random", steps: func(n *names) []step {
				return g.sequence(n.table("Rand"), steps)
			}})
		})
	}
}

// generator builds random calls for one table.
type generator struct {
	rng          *rand.Rand
	table        string
	hash, rangeK keyAttr // rangeK.name is empty without a sort key
	vals         map[string]av
	nms          map[string]string
}

var keyTypes = []string{"S", "N", "B"}

// sequence is a CreateTable followed by n random steps.
func (g *generator) sequence(tb string, n int) []step {
	g.table = tb
	g.hash = keyAttr{"pk", keyTypes[g.rng.IntN(3)]}
	rk := ""
	if g.rng.IntN(4) > 0 {
		g.rangeK = keyAttr{"sk", keyTypes[g.rng.IntN(3)]}
		rk = "sk:" + g.rangeK.typ
	}
	steps := []step{call(table(tb, "pk:"+g.hash.typ, rk))}
	for range n {
		steps = append(steps, g.step())
	}
	return steps
}

func (g *generator) pick(n int) int        { return g.rng.IntN(n) }
func (g *generator) chance(p float64) bool { return g.rng.Float64() < p }

// keyValue is one of a few values of a key type, so that keys repeat.
func (g *generator) keyValue(typ string) av {
	i := g.pick(5)
	switch typ {
	case "N":
		return N([]string{"-1.5", "0", "1", "2e3", "12345678901234567890123456789012345678"}[i])
	case "B":
		return B([]string{"\x00", "\x01\x02", "\xff", "a", "ab"}[i])
	}
	return S([]string{"a", "b", "é", "𝄞x", "ab"}[i])
}

func (g *generator) key() map[string]av {
	k := item(g.hash.name, g.keyValue(g.hash.typ))
	if g.rangeK.name != "" {
		k[g.rangeK.name] = g.keyValue(g.rangeK.typ)
	}
	return k
}

var attrNames = []string{"a", "b", "c", "n", "s", "l", "m", "ss", "size", "name"}

// value is a random attribute value of any of the ten types.
func (g *generator) value(depth int) av {
	kinds := 10
	if depth > 2 {
		kinds = 8 // no further nesting
	}
	switch g.pick(kinds) {
	case 0:
		return S([]string{"", "x", "xy", "héllo", "Z", "10"}[g.pick(6)])
	case 1:
		return N(g.number())
	case 2:
		return B([]string{"", "\x00", "bin", "\xff\xfe"}[g.pick(4)])
	case 3:
		return BOOL(g.chance(0.5))
	case 4:
		return NULL()
	case 5:
		return SS(g.distinct([]string{"a", "b", "c", "d", "é"})...)
	case 6:
		return NS(g.distinct([]string{"1", "-2", "3.5", "100", "0"})...)
	case 7:
		return BS(g.distinct([]string{"a", "b", "\x00", "\xff"})...)
	case 8:
		l := make([]av, g.pick(4))
		for i := range l {
			l[i] = g.value(depth + 1)
		}
		return L(l...)
	default:
		m := map[string]av{}
		for range g.pick(4) {
			m[attrNames[g.pick(len(attrNames))]] = g.value(depth + 1)
		}
		return &types.AttributeValueMemberM{Value: m}
	}
}

func (g *generator) number() string {
	return []string{"0", "1", "-1", "2.5", "-0.001", "1e3", "99999999999999999999999999999999999999", "3", "10", "-7.25"}[g.pick(10)]
}

// distinct returns a non-empty random subset of pool, in random order.
func (g *generator) distinct(pool []string) []string {
	p := append([]string(nil), pool...)
	g.rng.Shuffle(len(p), func(i, j int) { p[i], p[j] = p[j], p[i] })
	return p[:1+g.pick(len(p))]
}

func (g *generator) item() map[string]av {
	it := g.key()
	for range g.pick(6) {
		it[attrNames[g.pick(len(attrNames))]] = g.value(0)
	}
	return it
}

// resetExpr starts a new expression's placeholders.
func (g *generator) resetExpr() {
	g.vals, g.nms = map[string]av{}, map[string]string{}
}

// placeholder binds v to a new value placeholder.
func (g *generator) placeholder(v av) string {
	p := fmt.Sprintf(":v%d", len(g.vals))
	g.vals[p] = v
	return p
}

// path is a random document path: a name (sometimes through a #name
// placeholder, always for reserved words), a map member or a list element.
func (g *generator) path() string {
	name := attrNames[g.pick(len(attrNames))]
	var p string
	if name == "size" || name == "name" || g.chance(0.3) {
		ph := "#" + strings.ToUpper(name)
		g.nms[ph] = name
		p = ph
	} else {
		p = name
	}
	switch g.pick(5) {
	case 0:
		p += "." + attrNames[g.pick(4)]
	case 1:
		p += fmt.Sprintf("[%d]", g.pick(3))
	}
	return p
}

var comparators = []string{"=", "<>", "<", "<=", ">", ">="}

// condition is a random condition of at most depth levels.
func (g *generator) condition(depth int) string {
	if depth > 0 && g.chance(0.35) {
		switch g.pick(3) {
		case 0:
			return g.condition(depth-1) + " AND " + g.condition(depth-1)
		case 1:
			return g.condition(depth-1) + " OR " + g.condition(depth-1)
		default:
			return "NOT (" + g.condition(depth-1) + ")"
		}
	}
	switch g.pick(9) {
	case 0:
		return "attribute_exists(" + g.path() + ")"
	case 1:
		return "attribute_not_exists(" + g.path() + ")"
	case 2:
		return "begins_with(" + g.path() + ", " + g.placeholder(S([]string{"x", "h", ""}[g.pick(3)])) + ")"
	case 3:
		return "contains(" + g.path() + ", " + g.placeholder(g.value(3)) + ")"
	case 4:
		return "size(" + g.path() + ") " + comparators[g.pick(6)] + " " + g.placeholder(N(fmt.Sprint(g.pick(4))))
	case 5:
		return "attribute_type(" + g.path() + ", " + g.placeholder(S([]string{"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"}[g.pick(10)])) + ")"
	case 6:
		return g.path() + " BETWEEN " + g.placeholder(N(g.number())) + " AND " + g.placeholder(N(g.number()))
	case 7:
		return g.path() + " IN (" + g.placeholder(g.value(2)) + ", " + g.placeholder(g.value(2)) + ")"
	default:
		return g.path() + " " + comparators[g.pick(6)] + " " + g.placeholder(g.value(2))
	}
}

// update is a random update expression: one to four actions, grouped
// by clause as DynamoDB requires (each clause keyword once), so that most
// updates are valid; overlapping paths still happen and are errors to
// compare.
func (g *generator) update() string {
	clauses := map[string][]string{}
	for range 1 + g.pick(4) {
		switch g.pick(6) {
		case 0, 1:
			clauses["SET"] = append(clauses["SET"], g.path()+" = "+g.operand())
		case 2:
			clauses["REMOVE"] = append(clauses["REMOVE"], g.path())
		case 3:
			clauses["ADD"] = append(clauses["ADD"], g.path()+" "+g.placeholder([]av{N(g.number()), SS("a", "z"), NS("1", "5")}[g.pick(3)]))
		case 4:
			clauses["DELETE"] = append(clauses["DELETE"], g.path()+" "+g.placeholder([]av{SS("a", "b"), NS("1"), N("1")}[g.pick(3)]))
		default:
			clauses["SET"] = append(clauses["SET"], g.path()+" = "+g.operand()+" "+[]string{"+", "-"}[g.pick(2)]+" "+g.operand())
		}
	}
	var parts []string
	for _, kw := range []string{"SET", "REMOVE", "ADD", "DELETE"} {
		if len(clauses[kw]) > 0 {
			parts = append(parts, kw+" "+strings.Join(clauses[kw], ", "))
		}
	}
	return strings.Join(parts, " ")
}

// operand is a value in a SET action: a path, a value, list_append or
// if_not_exists.
func (g *generator) operand() string {
	switch g.pick(5) {
	case 0:
		return g.path()
	case 1:
		return "list_append(" + g.path() + ", " + g.placeholder(L(g.value(2))) + ")"
	case 2:
		return "if_not_exists(" + g.path() + ", " + g.placeholder(g.value(1)) + ")"
	case 3:
		return g.placeholder(N(g.number()))
	}
	return g.placeholder(g.value(0))
}

// spoil sometimes makes an expression invalid: a syntax error, an
// undefined placeholder or an unused one.
func (g *generator) spoil(expr string) string {
	if !g.chance(0.08) {
		return expr
	}
	switch g.pick(4) {
	case 0:
		return expr + " AND"
	case 1:
		return strings.Replace(expr, ":v0", ":undefined", 1)
	case 2:
		g.vals[":unused"] = N("1")
		return expr
	default:
		return "(" + expr
	}
}

// exprArgs returns the placeholders collected, nil when there are none
// (DynamoDB rejects empty maps).
func (g *generator) exprArgs() (map[string]string, map[string]av) {
	var nm map[string]string
	var vals map[string]av
	if len(g.nms) > 0 {
		nm = g.nms
	}
	if len(g.vals) > 0 {
		vals = g.vals
	}
	return nm, vals
}

func (g *generator) returnValue() types.ReturnValue {
	return []types.ReturnValue{"", types.ReturnValueAllOld, types.ReturnValueAllNew, types.ReturnValueUpdatedOld, types.ReturnValueUpdatedNew, types.ReturnValueNone}[g.pick(6)]
}

func (g *generator) capacity() types.ReturnConsumedCapacity {
	return []types.ReturnConsumedCapacity{"", types.ReturnConsumedCapacityTotal, types.ReturnConsumedCapacityIndexes, types.ReturnConsumedCapacityNone}[g.pick(4)]
}

// step is one random call.
func (g *generator) step() step {
	g.resetExpr()
	tb := str(g.table)
	switch g.pick(10) {
	case 0, 1, 2:
		in := &dynamodb.PutItemInput{TableName: tb, Item: g.item(), ReturnConsumedCapacity: g.capacity()}
		if g.chance(0.5) {
			in.ReturnValues = types.ReturnValueAllOld
		}
		if g.chance(0.4) {
			in.ConditionExpression = str(g.spoil(g.condition(2)))
			if g.chance(0.5) {
				in.ReturnValuesOnConditionCheckFailure = types.ReturnValuesOnConditionCheckFailureAllOld
			}
		}
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = g.exprArgs()
		return call(in)
	case 3, 4:
		in := &dynamodb.UpdateItemInput{TableName: tb, Key: g.key(), UpdateExpression: str(g.spoil(g.update())), ReturnValues: g.returnValue(), ReturnConsumedCapacity: g.capacity()}
		if g.chance(0.3) {
			in.ConditionExpression = str(g.condition(1))
		}
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = g.exprArgs()
		return call(in)
	case 5:
		in := &dynamodb.DeleteItemInput{TableName: tb, Key: g.key(), ReturnConsumedCapacity: g.capacity()}
		if g.chance(0.5) {
			in.ReturnValues = types.ReturnValueAllOld
		}
		if g.chance(0.4) {
			in.ConditionExpression = str(g.condition(1))
		}
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = g.exprArgs()
		return call(in)
	case 6:
		in := &dynamodb.GetItemInput{TableName: tb, Key: g.key(), ConsistentRead: aws.Bool(g.chance(0.5)), ReturnConsumedCapacity: g.capacity()}
		if g.chance(0.5) {
			paths := []string{g.path()}
			for range g.pick(3) {
				paths = append(paths, g.path())
			}
			in.ProjectionExpression = str(strings.Join(paths, ", "))
		}
		in.ExpressionAttributeNames, _ = g.exprArgs()
		return call(in)
	case 7, 8:
		in := &dynamodb.QueryInput{TableName: tb, ScanIndexForward: aws.Bool(g.chance(0.5)), ReturnConsumedCapacity: g.capacity()}
		kce := "pk = " + g.placeholder(g.keyValue(g.hash.typ))
		if g.rangeK.name != "" && g.chance(0.7) {
			v := g.placeholder(g.keyValue(g.rangeK.typ))
			switch op := g.pick(8); {
			case op < 5:
				kce += " AND sk " + []string{"=", "<", "<=", ">", ">="}[op] + " " + v
			case op == 5 && g.rangeK.typ != "N":
				kce += " AND begins_with(sk, " + v + ")"
			default:
				kce += " AND sk BETWEEN " + v + " AND " + g.placeholder(g.keyValue(g.rangeK.typ))
			}
		}
		in.KeyConditionExpression = str(kce)
		g.readOptions(&in.Limit, &in.FilterExpression, &in.Select)
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = g.exprArgs()
		return walk(in)
	default:
		in := &dynamodb.ScanInput{TableName: tb, ReturnConsumedCapacity: g.capacity()}
		g.readOptions(&in.Limit, &in.FilterExpression, &in.Select)
		in.ExpressionAttributeNames, in.ExpressionAttributeValues = g.exprArgs()
		if g.chance(0.2) {
			return segmented(in, int32(1+g.pick(4)))
		}
		return walk(in)
	}
}

// readOptions sets a Query's or Scan's random Limit, filter and Select.
func (g *generator) readOptions(limit **int32, filter **string, sel *types.Select) {
	if g.chance(0.5) {
		*limit = aws.Int32(int32(1 + g.pick(5)))
	}
	if g.chance(0.5) {
		*filter = str(g.spoil(g.condition(2)))
	}
	if g.chance(0.15) {
		*sel = types.SelectCount
	}
}

// newRand is the generator's source for sequence i of a seed.
func newRand(seed, i uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, i)) }
