package ddblocal

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"unicode/utf16"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// DynamoDB Local keeps several lists in java.util.HashMap or HashSet
// collections and returns them in those collections' iteration order: the
// ConsumedCapacity list of a batch or transaction (keyed by table name),
// the secondary indexes of a table description (keyed by index name) and
// the items of a BatchGetItem answer (the requested keys are a HashSet of
// key maps). The engine reproduces these orders so its answers compare
// equal. A HashMap iterates by bucket — the spread hash of the element
// masked by the table size — and, within a bucket, in insertion order.

// javaTableSize is the size of the table of a java.util.HashMap created
// with the given initial capacity once n elements are in it: the capacity
// rounded up to a power of two, doubled while the map is over 3/4 full.
func javaTableSize(initial, n int) int {
	size := 1
	for size < initial {
		size *= 2
	}
	for n > size*3/4 {
		size *= 2
	}
	return size
}

// javaBucket is the bucket of hash h in a HashMap table of the given size.
func javaBucket(h int32, size int) uint32 {
	u := uint32(h)
	return (u ^ u>>16) & uint32(size-1)
}

// javaMapOrder returns names in the iteration order of a java.util.HashMap
// of default capacity holding them. Names sharing a bucket (which Java
// keeps in insertion order) are taken in name order, so the result does not
// depend on the order of names.
func javaMapOrder(names []string) []string {
	out := slices.Clone(names)
	javaMapSort(out, func(s string) string { return s })
	return out
}

// javaMapSort sorts xs, named by name, in the iteration order of a
// java.util.HashMap of default capacity (16) keyed by those names; see
// javaMapOrder.
func javaMapSort[T any](xs []T, name func(T) string) {
	javaMapSortSized(xs, name, 16)
}

// capacityOrder returns table names in the order DynamoDB Local lists the
// ConsumedCapacity of a multi-table request: that of a java.util.HashMap
// created for expected entries as Guava's newHashMapWithExpectedSize does
// (capacity expected/0.75 + 1) — the number of tables of a BatchGetItem,
// the number of actions of a TransactWriteItems. names must be in the
// order DynamoDB Local inserted them (requestOrder), since names sharing a
// bucket keep that order.
func capacityOrder(names []string, expected int) []string {
	return javaInsertionOrder(names, int(float64(expected)/0.75+1))
}

// javaInsertionOrder returns names, given in insertion order, in the
// iteration order of a java.util.HashMap of the given initial capacity
// holding them: by bucket, and within a bucket in insertion order. The maps
// of BatchWriteItem and TransactGetItems have the default capacity, 16.
func javaInsertionOrder(names []string, initial int) []string {
	out := slices.Clone(names)
	size := javaTableSize(initial, len(out))
	slices.SortStableFunc(out, func(a, b string) int {
		return cmp.Compare(javaBucket(javaStringHash(a), size), javaBucket(javaStringHash(b), size))
	})
	return out
}

// requestOrder returns the names of the members of the JSON object held
// by the top-level field of body, in the order the body lists them, each
// once (where a name repeats, at its first place, as a LinkedHashMap keeps
// it). DynamoDB Local reads a request's maps, such as the RequestItems of
// a batch, into LinkedHashMaps and fills its per-table maps in that order,
// which decides the order of names sharing a HashMap bucket; a Go map
// forgets it. The field is matched as encoding/json matches struct fields,
// so that this agrees with the decoded request. A body json.Unmarshal has
// already accepted cannot fail here; should it, the result is nil.
func requestOrder(body []byte, field string) []string {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return nil
	}
	raw, ok := top[field]
	if !ok {
		for k, v := range top {
			if strings.EqualFold(k, field) {
				raw = v
				break
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	var names []string
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil
		}
		name, _ := tok.(string)
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil
		}
	}
	return names
}

// inOrder returns the keys of present in the order order lists them,
// followed by any key order lacks, in name order.
func inOrder[V any](order []string, present map[string]V) []string {
	out := make([]string, 0, len(present))
	for _, name := range order {
		if _, ok := present[name]; ok && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	var rest []string
	for name := range present {
		if !slices.Contains(out, name) {
			rest = append(rest, name)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// javaMapSortSized is javaMapSort for a HashMap of the given initial
// capacity.
func javaMapSortSized[T any](xs []T, name func(T) string, initial int) {
	size := javaTableSize(initial, len(xs))
	slices.SortStableFunc(xs, func(a, b T) int {
		na, nb := name(a), name(b)
		if c := cmp.Compare(javaBucket(javaStringHash(na), size), javaBucket(javaStringHash(nb), size)); c != 0 {
			return c
		}
		return cmp.Compare(na, nb)
	})
}

// javaKeySetOrder returns the positions of keys in the iteration order of
// the java.util.HashSet DynamoDB Local builds from a BatchGetItem key list
// (created with the list's length as its capacity): by bucket of the key
// map's hash, then in request order.
func javaKeySetOrder(keys []item) []int {
	size := javaTableSize(len(keys), len(keys))
	buckets := make([]uint32, len(keys))
	order := make([]int, len(keys))
	for i, k := range keys {
		buckets[i] = javaBucket(javaItemHash(k), size)
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(buckets[a], buckets[b]) })
	return order
}

// javaItemHash is java.util.Map.hashCode of a key map as DynamoDB Local
// holds it: the sum over its entries of the name's hash XOR the value's.
func javaItemHash(it item) int32 {
	var h int32
	for name, v := range it {
		h += javaStringHash(name) ^ javaValueHash(v)
	}
	return h
}

// javaValueHash is the hashCode of DynamoDB Local's AttributeValue class
// for the scalar types a key holds: 31·h + hash(field) over its ten fields
// (S, N, B, SS, NS, BS, M, L, NULL, BOOL) in that order, from h = 1, where
// an absent field hashes to 0. Numbers hash as their canonical text, which
// is what the engine keeps.
func javaValueHash(v types.AttributeValue) int32 {
	var s, n, b int32
	switch x := v.(type) {
	case *types.AttributeValueMemberS:
		s = javaStringHash(x.Value)
	case *types.AttributeValueMemberN:
		n = javaStringHash(x.Value)
	case *types.AttributeValueMemberB:
		b = javaBytesHash(x.Value)
	}
	h := int32(1)
	for _, f := range [...]int32{s, n, b, 0, 0, 0, 0, 0, 0, 0} {
		h = 31*h + f
	}
	return h
}

// javaBytesHash is java.nio.ByteBuffer.hashCode: 31·h + byte from the last
// byte to the first, from h = 1, with bytes signed.
func javaBytesHash(p []byte) int32 {
	h := int32(1)
	for i := len(p) - 1; i >= 0; i-- {
		h = 31*h + int32(int8(p[i]))
	}
	return h
}

// javaStringHash is Java's String.hashCode: s[0]·31^(n-1) + … over UTF-16
// code units, in 32-bit arithmetic.
func javaStringHash(s string) int32 {
	var h int32
	for _, c := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(c)
	}
	return h
}
