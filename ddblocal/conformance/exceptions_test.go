package conformance

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// exceptions lists every known, justified difference between DynamoDB
// Local and the engine that the suite accepts, with its reason. The README
// repeats this list. An exception applies only where the comparison code
// names it, and the summary counts each use.
var exceptions = map[string]string{
	exceptionScanOrder: "Scan order: DynamoDB Local returns a Scan's items (and assigns them to " +
		"parallel-scan segments) in the order of its internal storage, a hash of the partition " +
		"key that DynamoDB does not document and no client may rely on. When the engine's order " +
		"differs, a Scan is compared as the multiset of all its items over every page (and " +
		"every segment), with the total Count and ScannedCount.",
}

const (
	exceptionScanOrder   = "scan-order"
	exceptionTagging     = "tagging"
	exceptionLongName    = "long-attribute-name"
	exceptionTxnCapacity = "transaction-capacity"
)

// longName is the length from which an attribute name makes DynamoDB Local
// fail; DynamoDB documents names of up to 64 KB.
const longName = 65535

func init() {
	exceptions[exceptionLongName] = "Long attribute names: DynamoDB Local fails with HTTP 500 " +
		"InternalFailure (a server error) on a PutItem whose item has an attribute name of 64 KB " +
		"(65535 or 65536 bytes); the engine stores the item, as DynamoDB documents names of up to " +
		"64 KB. Only that PutItem, answered 200 with an empty document by the engine, is excused."
	exceptions[exceptionTagging] = "Tagging: DynamoDB Local lacks the tagging API (TagResource, " +
		"UntagResource and ListTagsOfResource answer UnknownOperationException); the engine implements " +
		"it as DynamoDB does. Where DynamoDB Local refuses a tagging call so, the engine's answer is " +
		"compared with the answer DynamoDB documents, given by the case."
	exceptions[exceptionTxnCapacity] = "Transaction capacity: DynamoDB Local reports the write " +
		"capacity of a TransactWriteItems with several writes to one table from their sizes taken " +
		"together (2 units for ten items of a few bytes); DynamoDB charges 2 units per write of up " +
		"to 1 KB (20 units), as the engine does. Where the answers differ only in capacity units, " +
		"the engine's answer is compared with the documented one, given by the case."
}

// transactionCapacity applies the transaction-capacity exception to one
// step: a TransactWriteItems that gives the documented answer, answered
// 200 by both, whose answers differ only in capacity units; the
// candidate's answer must be the documented one.
func transactionCapacity(st step, ref, cand []page, diffs []string) (name string, d []string, ok bool) {
	if st.want == nil || len(ref) != 1 || len(cand) != 1 || ref[0].ex == nil || cand[0].ex == nil {
		return "", nil, false
	}
	if _, isTx := ref[0].in.(*dynamodb.TransactWriteItemsInput); !isTx || ref[0].ex.status != 200 {
		return "", nil, false
	}
	for _, line := range diffs {
		path, _, _ := strings.Cut(line, ":")
		if !strings.HasPrefix(path, "ConsumedCapacity[") || !strings.HasSuffix(path, "CapacityUnits") {
			return "", nil, false
		}
	}
	c := cand[0]
	if c.ex.status != st.wantStatus {
		d = append(d, fmt.Sprintf("HTTP status: %d (documented) ≠ %d", st.wantStatus, c.ex.status))
	}
	return exceptionTxnCapacity, append(d, diff(st.want, c.doc)...), true
}

// taggingAnswer applies the tagging exception to one step: when the step
// gives the documented answer and DynamoDB Local refused the call as an
// operation it does not know, the candidate's answer must have
// exactly that status and document; diffs lists how it is not.
func taggingAnswer(st step, ref, cand []page) (name string, diffs []string, ok bool) {
	if st.want == nil || len(ref) != 1 || len(cand) != 1 || ref[0].ex == nil {
		return "", nil, false
	}
	refused, _ := ref[0].doc.(map[string]any)
	if ref[0].ex.status != 400 || refused["__type"] != "UnknownOperationException" {
		return "", nil, false
	}
	c := cand[0]
	if c.ex == nil {
		return exceptionTagging, []string{"request: sent ≠ not sent (" + errString(c.err) + ")"}, true
	}
	if c.ex.status != st.wantStatus {
		diffs = append(diffs, fmt.Sprintf("HTTP status: %d (documented) ≠ %d", st.wantStatus, c.ex.status))
	}
	return exceptionTagging, append(diffs, diff(st.want, c.doc)...), true
}

// scanOrderOnly reports whether two Scan answers differ only in the order
// of their items and so in where the pages (or segments) split: the same
// errors (none), the same items as a multiset, the same total Count and
// ScannedCount. A walk that stopped early on either side is never excused.
func scanOrderOnly(ref, cand []page) (string, bool) {
	view := func(pages []page) (items []string, count, scanned float64, ok bool) {
		for _, p := range pages {
			if p.err != nil || p.ex == nil {
				return nil, 0, 0, false
			}
			items = append(items, sortedItems(p.doc)...)
			count += number(p.doc, "Count")
			scanned += number(p.doc, "ScannedCount")
		}
		last, _ := pages[len(pages)-1].doc.(map[string]any)
		if _, more := last["LastEvaluatedKey"]; more {
			return nil, 0, 0, false
		}
		slices.Sort(items)
		return items, count, scanned, true
	}
	ri, rc, rs, rok := view(ref)
	ci, cc, cs, cok := view(cand)
	if !rok || !cok || rc != cc || rs != cs || !slices.Equal(ri, ci) {
		return "", false
	}
	return exceptionScanOrder, true
}

// longNameOnly reports whether a step is a PutItem of an item with an
// attribute name of at least longName bytes that DynamoDB Local failed
// with InternalFailure and the engine stored (HTTP 200, empty answer).
func longNameOnly(ref, cand []page) (string, bool) {
	if len(ref) != 1 || len(cand) != 1 || ref[0].ex == nil || cand[0].ex == nil {
		return "", false
	}
	in, ok := ref[0].in.(*dynamodb.PutItemInput)
	if !ok || !slices.ContainsFunc(slices.Collect(maps.Keys(in.Item)), func(n string) bool { return len(n) >= longName }) {
		return "", false
	}
	failed, _ := ref[0].doc.(map[string]any)
	stored, _ := cand[0].doc.(map[string]any)
	if ref[0].ex.status != 500 || failed["__type"] != "InternalFailure" || cand[0].ex.status != 200 || len(stored) != 0 {
		return "", false
	}
	return exceptionLongName, true
}
