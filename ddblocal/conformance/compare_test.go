package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// maskedFields are the fields whose values cannot be equal between two
// servers: identifiers and ARNs carry a server's own region, account and
// random IDs, and timestamps the moment of the call. Their presence is still
// compared; their values are replaced by "<masked>".
var maskedFields = map[string]bool{
	"TableArn":                          true,
	"TableId":                           true,
	"IndexArn":                          true,
	"LatestStreamArn":                   true,
	"LatestStreamLabel":                 true,
	"CreationDateTime":                  true,
	"LastIncreaseDateTime":              true,
	"LastDecreaseDateTime":              true,
	"LastUpdateToPayPerRequestDateTime": true,
	"LastUpdateDateTime":                true,
}

const masked = "<masked>"

// normalize decodes a response body into plain Go values (maps, slices,
// strings, bools, float64 numbers) ready for comparison:
//   - masked fields lose their values;
//   - an error's "__type" keeps only the exception name after '#', and its
//     "Message" is renamed "message": the SDK reads both spellings and the
//     namespace alike, so neither is visible to a client;
//   - JSON numbers (capacity units, counts, sizes) compare by value, as the
//     SDK decodes them, so 1 and 1.0 are equal. Attribute values of type N
//     are JSON strings and compare exactly.
func normalize(body []byte) any {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return fmt.Sprintf("<not JSON: %v: %q>", err, truncate(string(body), 200))
	}
	if m, ok := v.(map[string]any); ok {
		if t, ok := m["__type"].(string); ok {
			if i := strings.LastIndexByte(t, '#'); i >= 0 {
				m["__type"] = t[i+1:]
			}
		}
		if msg, ok := m["Message"]; ok {
			if _, dup := m["message"]; !dup {
				m["message"] = msg
				delete(m, "Message")
			}
		}
	}
	return normalizeValue(v)
}

func normalizeValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if maskedFields[k] && e != nil {
				x[k] = masked
				continue
			}
			x[k] = normalizeValue(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = normalizeValue(e)
		}
		return x
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return f
		}
		return x.String()
	}
	return v
}

// maxPaths bounds the differences listed for one document.
const maxPaths = 12

// diff returns the paths at which a and b differ, such as
// `Items[2].price.N: "1.50" ≠ "1.5"` or `Count: missing ≠ 3`.
func diff(a, b any) []string {
	var out []string
	diffAt("", a, b, &out)
	return out
}

func diffAt(path string, a, b any, out *[]string) {
	if len(*out) >= maxPaths {
		return
	}
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok {
			break
		}
		keys := make([]string, 0, len(x)+len(y))
		for k := range x {
			keys = append(keys, k)
		}
		for k := range y {
			if _, ok := x[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			xv, xok := x[k]
			yv, yok := y[k]
			switch {
			case !xok:
				*out = append(*out, fmt.Sprintf("%s: missing ≠ %s", p, short(yv)))
			case !yok:
				*out = append(*out, fmt.Sprintf("%s: %s ≠ missing", p, short(xv)))
			default:
				diffAt(p, xv, yv, out)
			}
		}
		return
	case []any:
		y, ok := b.([]any)
		if !ok {
			break
		}
		if len(x) != len(y) {
			*out = append(*out, fmt.Sprintf("%s: %d elements ≠ %d elements", orRoot(path), len(x), len(y)))
			return
		}
		for i := range x {
			diffAt(fmt.Sprintf("%s[%d]", path, i), x[i], y[i], out)
		}
		return
	default:
		if a == b {
			return
		}
	}
	*out = append(*out, fmt.Sprintf("%s: %s ≠ %s", orRoot(path), short(a), short(b)))
}

func orRoot(path string) string {
	if path == "" {
		return "(document)"
	}
	return path
}

// short renders a value for a difference line.
func short(v any) string {
	return truncate(render(v), 160)
}

// render prints a normalized value as compact JSON with sorted keys.
func render(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprintf("%v", v)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// renderIndent prints a normalized value for a failure message.
func renderIndent(v any) string {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return truncate(string(b), 4000)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

var indexInPath = regexp.MustCompile(`\[\d+\]`)

// kindOf names the kind of a difference for grouping: the operation and
// the first path's field, with list positions and attribute names taken
// out, e.g. "Query Items[].*" or "PutItem message".
func kindOf(op, path string) string {
	field, _, _ := strings.Cut(path, ":")
	field = indexInPath.ReplaceAllString(field, "[]")
	// Below Items, Item, Attributes and keys come attribute names, which
	// vary from case to case.
	for _, container := range []string{"Items[]", "Item", "Attributes", "LastEvaluatedKey", "Responses", "UnprocessedKeys", "UnprocessedItems", "CancellationReasons[].Item"} {
		if field == container || strings.HasPrefix(field, container+".") {
			if field != container {
				field = container + ".*"
			}
			break
		}
	}
	return op + " " + field
}

// sortedItems returns a Query or Scan answer's items as rendered JSON
// lines, sorted, for comparing results whose order is not part of the
// comparison.
func sortedItems(doc any) []string {
	m, _ := doc.(map[string]any)
	items, _ := m["Items"].([]any)
	lines := make([]string, len(items))
	for i, it := range items {
		lines[i] = render(it)
	}
	sort.Strings(lines)
	return lines
}

// number reads a normalized JSON number field, 0 when absent.
func number(doc any, field string) float64 {
	m, _ := doc.(map[string]any)
	f, _ := m[field].(float64)
	return f
}

func formatCount(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
