package ddblocal

import (
	"bytes"
	"slices"
	"strconv"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The expected orders below were read from DynamoDB Local: a Scan of a
// table holding exactly these partition keys.

func scanOrder(vals []types.AttributeValue) []types.AttributeValue {
	out := slices.Clone(vals)
	slices.SortFunc(out, func(a, b types.AttributeValue) int {
		return bytes.Compare(partitionPrefix(a), partitionPrefix(b))
	})
	return out
}

func TestScanOrderMatchesDynamoDBLocal(t *testing.T) {
	var strs []types.AttributeValue
	for i := range 40 {
		strs = append(strs, &types.AttributeValueMemberS{Value: "k" + strconv.Itoa(i)})
	}
	strs = append(strs, &types.AttributeValueMemberS{Value: "é✓𝄞"})
	want := []string{"k7", "k3", "k26", "k32", "k29", "k25", "k13", "k4", "k31", "k38", "k34", "k23", "k15", "k10", "k1",
		"k11", "k5", "k36", "k2", "k28", "k39", "k16", "k17", "k19", "k14", "k33", "k18", "k21", "k24", "k22", "k8", "k9",
		"é✓𝄞", "k20", "k37", "k35", "k30", "k12", "k0", "k27", "k6"}
	for i, v := range scanOrder(strs) {
		if got := v.(*types.AttributeValueMemberS).Value; got != want[i] {
			t.Fatalf("string order[%d] = %q, want %q", i, got, want[i])
		}
	}

	var nums []types.AttributeValue
	for _, n := range []string{"0", "1", "-1", "2", "10", "100", "1.5", "-2.25", "0.001", "1e30", "-1e-20", "7", "12345678901234567890", "3", "33", "-100"} {
		nums = append(nums, &types.AttributeValueMemberN{Value: n})
	}
	wantN := []string{"2", "1e30", "-100", "1", "0.001", "3", "10", "7", "12345678901234567890", "100", "0", "-1e-20", "1.5", "-1", "33", "-2.25"}
	for i, v := range scanOrder(nums) {
		if got := v.(*types.AttributeValueMemberN).Value; got != wantN[i] {
			t.Fatalf("number order[%d] = %q, want %q", i, got, wantN[i])
		}
	}

	var bins []types.AttributeValue
	for _, b := range []string{"\x00", "\x01", "a", "b", "ab", "\xff", "\x80", "hello"} {
		bins = append(bins, &types.AttributeValueMemberB{Value: []byte(b)})
	}
	wantB := []string{"hello", "\xff", "b", "\x00", "\x80", "ab", "\x01", "a"}
	for i, v := range scanOrder(bins) {
		if got := string(v.(*types.AttributeValueMemberB).Value); got != wantB[i] {
			t.Fatalf("binary order[%d] = %q, want %q", i, got, wantB[i])
		}
	}
}

// TestGlobalIndexTieOrder checks the order of GSI entries sharing an index
// key: by the hash of the table key, as DynamoDB Local returns them.
func TestGlobalIndexTieOrder(t *testing.T) {
	tm := &tableMeta{Key: keySchema{HashKey: "pk", HashType: "S", RangeKey: "sk", RangeType: "N"}}
	ix := &indexMeta{Name: "G", Global: true, Key: keySchema{HashKey: "g", HashType: "S"}}
	type entry struct {
		key  []byte
		name string
	}
	var entries []entry
	for i := range 6 {
		for j := range 3 {
			it := item{"pk": &types.AttributeValueMemberS{Value: "p" + strconv.Itoa(i)}, "sk": &types.AttributeValueMemberN{Value: strconv.Itoa(j)},
				"g": &types.AttributeValueMemberS{Value: "g"}}
			entries = append(entries, entry{ix.entryKey(tm, it), "p" + strconv.Itoa(i) + "|" + strconv.Itoa(j)})
		}
	}
	slices.SortFunc(entries, func(a, b entry) int { return bytes.Compare(a.key, b.key) })
	want := []string{"p4|1", "p1|1", "p1|2", "p4|0", "p3|1", "p2|0", "p2|1", "p1|0", "p0|1", "p4|2", "p5|1", "p5|2", "p3|0", "p0|2", "p0|0", "p3|2", "p2|2", "p5|0"}
	for i, e := range entries {
		if e.name != want[i] {
			t.Fatalf("entry %d = %s, want %s", i, e.name, want[i])
		}
	}
}

// TestSegmentsMatchDynamoDBLocal checks that four segments split partitions
// p0…p4 as DynamoDB Local does.
func TestSegmentsMatchDynamoDBLocal(t *testing.T) {
	want := map[string]int{"p3": 0, "p0": 1, "p2": 2, "p1": 3, "p4": 3}
	for pk, seg := range want {
		k := partitionPrefix(&types.AttributeValueMemberS{Value: pk})
		lo, hi := segmentRange(seg, 4)
		if bytes.Compare(k, lo) < 0 || (hi != nil && bytes.Compare(k, hi) >= 0) {
			t.Errorf("%s not in segment %d", pk, seg)
		}
	}
	if lo, _ := segmentRange(0, 1); !bytes.Equal(lo, make([]byte, hashLen)) {
		t.Errorf("segment 0 of 1 starts at %x", lo)
	}
	if _, hi := segmentRange(0, 1); hi != nil {
		t.Errorf("segment 0 of 1 ends at %x", hi)
	}
}

func TestSetOrderIsJavas(t *testing.T) {
	bs := [][]byte{{0x62}, {0x00}, {0xFF}, {0x61}}
	slices.SortFunc(bs, compareSignedBytes)
	if want := [][]byte{{0xFF}, {0x00}, {0x61}, {0x62}}; !slices.EqualFunc(bs, want, bytes.Equal) {
		t.Errorf("BS order = %x", bs)
	}
	ss := []string{"\U0001D11E", "\uFF01", "a"}
	slices.SortFunc(ss, compareUTF16)
	if want := []string{"a", "\U0001D11E", "\uFF01"}; !slices.Equal(ss, want) {
		t.Errorf("SS order = %q (a surrogate pair sorts before U+FF01 in UTF-16)", ss)
	}
}

func TestJavaMapOrder(t *testing.T) {
	// Orders DynamoDB Local reported for the ConsumedCapacity of two tables.
	for _, want := range [][]string{
		{"BatchB_i99gu7tu", "BatchA_adtocdk8"},
		{"TxB_m2ig84lu", "TxA_tn9nytvo"},
		{"BatchA_kdagddo8", "BatchB_k14xwehr"},
	} {
		got := javaMapOrder([]string{want[1], want[0]})
		if !slices.Equal(got, want) {
			t.Errorf("javaMapOrder = %v, want %v", got, want)
		}
	}
	if h := javaStringHash("hello"); h != 99162322 {
		t.Errorf(`"hello".hashCode() = %d`, h)
	}
}

func TestCapacityOrderKeepsRequestOrderWithinBucket(t *testing.T) {
	// CapA0 and CapB1 share a bucket both in the 4-entry table of a
	// two-table BatchGetItem and in the 16-entry table of a BatchWriteItem
	// or TransactGetItems, so DynamoDB Local lists them in the order the
	// request names them.
	const a, b = "CapA0", "CapB1"
	for _, size := range []int{4, 16} {
		if javaBucket(javaStringHash(a), size) != javaBucket(javaStringHash(b), size) {
			t.Fatalf("%s and %s do not share a bucket of a %d-entry table", a, b, size)
		}
	}
	db, err := Open(t.TempDir(), Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for _, name := range []string{a, b} {
		body := `{"TableName":"` + name + `","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],` +
			`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`
		if _, err := db.createTable([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	names := func(ccs []*consumedCapacity) []string {
		var out []string
		for _, cc := range ccs {
			out = append(out, cc.TableName)
		}
		return out
	}
	for _, order := range [][]string{{a, b}, {b, a}} {
		write := `{"RequestItems":{"` + order[0] + `":[{"PutRequest":{"Item":{"pk":{"S":"1"}}}}],` +
			`"` + order[1] + `":[{"PutRequest":{"Item":{"pk":{"S":"1"}}}}]},"ReturnConsumedCapacity":"TOTAL"}`
		w, err := db.batchWriteItem([]byte(write))
		if err != nil {
			t.Fatal(err)
		}
		if got := names(w.(batchWriteOutput).ConsumedCapacity); !slices.Equal(got, order) {
			t.Errorf("BatchWriteItem capacity order = %v, want %v", got, order)
		}

		get := `{"RequestItems":{"` + order[0] + `":{"Keys":[{"pk":{"S":"1"}}]},` +
			`"` + order[1] + `":{"Keys":[{"pk":{"S":"1"}}]}},"ReturnConsumedCapacity":"TOTAL"}`
		g, err := db.batchGetItem([]byte(get))
		if err != nil {
			t.Fatal(err)
		}
		if got := names(g.(batchGetOutput).ConsumedCapacity); !slices.Equal(got, order) {
			t.Errorf("BatchGetItem capacity order = %v, want %v", got, order)
		}

		tget := `{"TransactItems":[{"Get":{"TableName":"` + order[0] + `","Key":{"pk":{"S":"1"}}}},` +
			`{"Get":{"TableName":"` + order[1] + `","Key":{"pk":{"S":"1"}}}}],"ReturnConsumedCapacity":"TOTAL"}`
		tg, err := db.transactGetItems([]byte(tget))
		if err != nil {
			t.Fatal(err)
		}
		if got := names(tg.(transactGetOutput).ConsumedCapacity); !slices.Equal(got, order) {
			t.Errorf("TransactGetItems capacity order = %v, want %v", got, order)
		}
	}
}

func TestRequestOrder(t *testing.T) {
	for _, c := range []struct {
		body string
		want []string
	}{
		{`{"RequestItems":{"b":{},"a":[1,{"x":"y"}],"c":null}}`, []string{"b", "a", "c"}},
		{`{"requestitems":{"z":1,"y":2}}`, []string{"z", "y"}},
		{`{"RequestItems":{"b":1,"a":2,"b":3}}`, []string{"b", "a"}},
		{`{"Other":{"a":1}}`, nil},
		{`{"RequestItems":[1]}`, nil},
	} {
		if got := requestOrder([]byte(c.body), "RequestItems"); !slices.Equal(got, c.want) {
			t.Errorf("requestOrder(%s) = %q, want %q", c.body, got, c.want)
		}
	}
}
