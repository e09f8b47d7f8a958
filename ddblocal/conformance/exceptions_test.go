package conformance

import "slices"

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

const exceptionScanOrder = "scan-order"

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
