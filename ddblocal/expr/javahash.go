package expr

import (
	"slices"
	"unicode/utf16"
)

// javaHashOrder sorts keys into the iteration order of a java.util.HashSet
// holding them: by bucket of the spread String hash code in a table grown
// as HashSet grows it (16 buckets, doubled past a load of 3/4). Keys in the
// same bucket, which Java keeps in the order the request listed them (an
// order a Go map does not keep), are sorted by text.
func javaHashOrder(keys []string) {
	buckets := int32(16)
	for float64(len(keys)) > 0.75*float64(buckets) {
		buckets *= 2
	}
	bucket := func(s string) int32 {
		h := javaStringHash(s)
		h ^= int32(uint32(h) >> 16)
		return h & (buckets - 1)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ba, bb := bucket(a), bucket(b); ba != bb {
			return int(ba - bb)
		}
		if a < b {
			return -1
		}
		if a > b {
			return 1
		}
		return 0
	})
}

// javaStringHash is Java's String.hashCode: over UTF-16 code units,
// h = 31*h + c with 32-bit wrap-around.
func javaStringHash(s string) int32 {
	var h int32
	for _, c := range utf16.Encode([]rune(s)) {
		h = 31*h + int32(c)
	}
	return h
}
