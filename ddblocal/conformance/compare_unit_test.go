package conformance

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// TestNormalize checks what the comparison ignores and what it keeps.
func TestNormalize(t *testing.T) {
	a := normalize([]byte(`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","Message":"gone"}`))
	b := normalize([]byte(`{"__type":"ResourceNotFoundException","message":"gone"}`))
	if d := diff(a, b); len(d) != 0 {
		t.Errorf("error documents differ only in spelling, yet: %v", d)
	}
	a = normalize([]byte(`{"Table":{"TableArn":"arn:aws:dynamodb:ddblocal:000000000000:table/T","CreationDateTime":1.7e9,"ItemCount":0}}`))
	b = normalize([]byte(`{"Table":{"TableArn":"arn:other","CreationDateTime":5,"ItemCount":0.0}}`))
	if d := diff(a, b); len(d) != 0 {
		t.Errorf("masked fields and 0 vs 0.0 compared: %v", d)
	}
	// Presence of a masked field still counts; N values compare as text.
	a = normalize([]byte(`{"Table":{"TableId":"x"},"Item":{"n":{"N":"1.0"}}}`))
	b = normalize([]byte(`{"Table":{},"Item":{"n":{"N":"1"}}}`))
	d := diff(a, b)
	want := []string{`Item.n.N: "1.0" ≠ "1"`, `Table.TableId: "<masked>" ≠ missing`}
	if !slices.Equal(d, want) {
		t.Errorf("diff = %q, want %q", d, want)
	}
	if s, ok := normalize([]byte("not json")).(string); !ok || !strings.HasPrefix(s, "<not JSON") {
		t.Errorf("invalid JSON normalized to %v", s)
	}
}

// TestDiffLists checks list length and element differences and kinds.
func TestDiffLists(t *testing.T) {
	a := normalize([]byte(`{"Items":[{"a":{"S":"x"}},{"a":{"S":"y"}}],"Count":2}`))
	b := normalize([]byte(`{"Items":[{"a":{"S":"x"}},{"a":{"S":"z"}}],"Count":2}`))
	d := diff(a, b)
	if !slices.Equal(d, []string{`Items[1].a.S: "y" ≠ "z"`}) {
		t.Fatalf("diff = %q", d)
	}
	if k := kindOf("Query", d[0]); k != "Query Items[].*" {
		t.Errorf("kindOf = %q", k)
	}
	c := normalize([]byte(`{"Items":[],"Count":0}`))
	if d := diff(a, c); !slices.Contains(d, "Items: 2 elements ≠ 0 elements") || !slices.Contains(d, "Count: 2 ≠ 0") {
		t.Errorf("diff = %q", d)
	}
	if k := findingKey("PutItem", `message: "Bad table T_abcdefgh" ≠ "other"`); k != `PutItem message: "Bad table T_…" ≠ "other"` {
		t.Errorf("findingKey = %q", k)
	}
}

// TestScanOrderOnly checks that the scan-order exception accepts the same
// items split differently and nothing else.
func TestScanOrderOnly(t *testing.T) {
	pg := func(js string) page { return page{ex: &exchange{status: 200}, doc: normalize([]byte(js))} }
	ref := []page{
		pg(`{"Items":[{"k":{"S":"a"}},{"k":{"S":"b"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"k":{"S":"b"}}}`),
		pg(`{"Items":[{"k":{"S":"c"}}],"Count":1,"ScannedCount":1}`),
	}
	same := []page{
		pg(`{"Items":[{"k":{"S":"c"}},{"k":{"S":"a"}}],"Count":2,"ScannedCount":2,"LastEvaluatedKey":{"k":{"S":"a"}}}`),
		pg(`{"Items":[{"k":{"S":"b"}}],"Count":1,"ScannedCount":1}`),
	}
	if _, ok := scanOrderOnly(ref, same); !ok {
		t.Error("the same items in another order are not excused")
	}
	other := []page{pg(`{"Items":[{"k":{"S":"c"}},{"k":{"S":"a"}},{"k":{"S":"d"}}],"Count":3,"ScannedCount":3}`)}
	if _, ok := scanOrderOnly(ref, other); ok {
		t.Error("different items are excused")
	}
	wrongCount := []page{pg(`{"Items":[{"k":{"S":"c"}},{"k":{"S":"a"}},{"k":{"S":"b"}}],"Count":3,"ScannedCount":4}`)}
	if _, ok := scanOrderOnly(ref, wrongCount); ok {
		t.Error("a different ScannedCount is excused")
	}
	unfinished := []page{ref[0]}
	if _, ok := scanOrderOnly(unfinished, unfinished[:1]); ok {
		t.Error("a walk that stopped with a LastEvaluatedKey is excused")
	}
}

// TestRandomReplays checks that a seed replays the same calls.
func TestRandomReplays(t *testing.T) {
	gen := func() string {
		g := &generator{rng: newRand(42, 0)}
		var b strings.Builder
		for _, st := range g.sequence("T", 50) {
			b.WriteString(render(st.in) + "\n")
		}
		return b.String()
	}
	if a, b := gen(), gen(); a != b {
		t.Error("the same seed generated different sequences")
	}
}

// TestTransactionCapacityException excuses only capacity units of a
// TransactWriteItems, and only when the candidate gives the documented
// answer.
func TestTransactionCapacityException(t *testing.T) {
	st := expect(call(&dynamodb.TransactWriteItemsInput{}), 200, `{"ConsumedCapacity":[{"TableName":"T","CapacityUnits":20}]}`)
	page := func(units int) []page {
		body := []byte(fmt.Sprintf(`{"ConsumedCapacity":[{"TableName":"T","CapacityUnits":%d}]}`, units))
		return []page{{in: st.in, ex: &exchange{status: 200, response: body}, doc: normalize(body)}}
	}
	ref := page(2)
	if name, d, ok := transactionCapacity(st, ref, page(20), comparePages(ref, page(20))); !ok || name != exceptionTxnCapacity || len(d) != 0 {
		t.Errorf("documented units: %q %q %v", name, d, ok)
	}
	if _, d, ok := transactionCapacity(st, ref, page(3), comparePages(ref, page(3))); !ok || len(d) == 0 {
		t.Errorf("undocumented units excused: %q %v", d, ok)
	}
	if _, _, ok := transactionCapacity(st, ref, page(20), []string{"Items[0].v: 1 ≠ 2"}); ok {
		t.Error("a difference outside the capacity excused")
	}
}

// TestCanonicalJSON: both backends get one spelling of a request, whatever
// order the SDK wrote a Go map's entries in.
func TestCanonicalJSON(t *testing.T) {
	a := canonicalJSON([]byte(`{"RequestItems":{"B":{"Keys":[{"id":{"N":"1.50"}}]},"A":{"Keys":[]}},"ReturnConsumedCapacity":"TOTAL"}`))
	b := canonicalJSON([]byte(`{"ReturnConsumedCapacity":"TOTAL","RequestItems":{"A":{"Keys":[]},"B":{"Keys":[{"id":{"N":"1.50"}}]}}}`))
	want := `{"RequestItems":{"A":{"Keys":[]},"B":{"Keys":[{"id":{"N":"1.50"}}]}},"ReturnConsumedCapacity":"TOTAL"}`
	if string(a) != want || string(b) != want {
		t.Errorf("canonical forms:\n%s\n%s\nwant\n%s", a, b, want)
	}
	if got := canonicalJSON([]byte("not json")); string(got) != "not json" {
		t.Errorf("a body that is not JSON became %q", got)
	}
}
