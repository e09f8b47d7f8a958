package format

import (
	"fmt"
	"strconv"
	"strings"
)

// DynamoDB's limits for the N type: at most 38 significant digits, and a
// non-zero magnitude between 1E-130 and 9.9999999999999999999999999999999999999E+125.
// The exponents are of the leading digit (the "adjusted" exponent). These
// limits and the syntax numberParts accepts agree with DynamoDB Local on
// the spellings in TestNumberSpellings.
const (
	maxNumberDigits = 38
	minNumberExp    = -130
	maxNumberExp    = 125
)

// decimal is a parsed N value reduced to its numeric value: digits holds the
// significant digits with leading and trailing zeros removed, and the value is
// digits × 10^exp. Zero has empty digits. Two spellings of the same number
// ("1.50", "15E-1") reduce to the same decimal, which is how number sets find
// duplicates.
type decimal struct {
	neg    bool
	digits string
	exp    int
}

// numberParts splits an N spelling into sign, integer digits, fraction digits
// and exponent text, or reports that it is not a number. The accepted syntax
// is DynamoDB's: an optional sign, digits with an optional decimal point (at
// least one digit in all), and an optional exponent. Whitespace, hexadecimal,
// "NaN" and "Infinity" are not numbers.
func numberParts(s string) (sign byte, intPart, fracPart, expPart string, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		sign = s[i]
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intPart = s[start:i]
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		fracPart = s[start:i]
	}
	if intPart == "" && fracPart == "" {
		return 0, "", "", "", false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		expPart = s[i:]
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i == start {
			return 0, "", "", "", false
		}
	}
	if i != len(s) {
		return 0, "", "", "", false
	}
	return sign, intPart, fracPart, expPart, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// parseDecimal reduces an N spelling to its value. ok is false when s is not a
// number; an exponent too large to represent is reported as ok with exp
// clamped far outside DynamoDB's range, so validation rejects it.
func parseDecimal(s string) (d decimal, ok bool) {
	sign, intPart, fracPart, expPart, ok := numberParts(s)
	if !ok {
		return decimal{}, false
	}
	exp := 0
	if expPart != "" {
		e := expPart[1:]
		neg := false
		if e[0] == '+' || e[0] == '-' {
			neg = e[0] == '-'
			e = e[1:]
		}
		e = strings.TrimLeft(e, "0")
		if len(e) > 9 {
			e = "999999999"
		}
		if e != "" {
			exp, _ = strconv.Atoi(e)
		}
		if neg {
			exp = -exp
		}
	}
	mant := intPart + fracPart
	exp -= len(fracPart)
	mant = strings.TrimLeft(mant, "0")
	trimmed := strings.TrimRight(mant, "0")
	exp += len(mant) - len(trimmed)
	if trimmed == "" {
		return decimal{}, true
	}
	return decimal{neg: sign == '-', digits: trimmed, exp: exp}, true
}

// key is a canonical spelling of d: equal numbers have equal keys.
func (d decimal) key() string {
	if d.digits == "" {
		return "0"
	}
	sign := ""
	if d.neg {
		sign = "-"
	}
	return sign + d.digits + "E" + strconv.Itoa(d.exp)
}

// validateNumber reports why s cannot be stored as a DynamoDB number, or nil.
func validateNumber(s string) error {
	d, ok := parseDecimal(s)
	if !ok {
		return fmt.Errorf("N value %q is not a number", s)
	}
	if len(d.digits) > maxNumberDigits {
		return fmt.Errorf("N value %q has %d significant digits; DynamoDB stores at most %d", s, len(d.digits), maxNumberDigits)
	}
	if d.digits != "" {
		adj := d.exp + len(d.digits) - 1
		if adj < minNumberExp || adj > maxNumberExp {
			return fmt.Errorf("N value %q is outside DynamoDB's range (magnitude 1E-130 to 9.99…E+125)", s)
		}
	}
	return nil
}

// isJSONNumber reports whether s is a number in JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func isJSONNumber(s string) bool {
	sign, intPart, fracPart, _, ok := numberParts(s)
	if !ok || sign == '+' || intPart == "" || (len(intPart) > 1 && intPart[0] == '0') {
		return false
	}
	// numberParts accepts "5." (a point with no fraction digits); JSON does not.
	if fracPart == "" && strings.IndexByte(s, '.') >= 0 {
		return false
	}
	return true
}

// appendJSONNumber appends N value s as a JSON number. A spelling that is
// already valid JSON (the usual case: DynamoDB returns numbers normalized) is
// copied byte for byte. Other spellings DynamoDB accepts ("+1", ".5", "5.",
// "007") are respelled with the same digits and exponent, so the value stays
// exact: the sign "+" and redundant leading zeros are dropped, a missing "0"
// before the point is added, and a point with no fraction digits is dropped.
// Text that is not a number at all is written as a JSON string, so the output
// is always valid JSON.
func appendJSONNumber(dst []byte, s string) []byte {
	if isJSONNumber(s) {
		return append(dst, s...)
	}
	sign, intPart, fracPart, expPart, ok := numberParts(s)
	if !ok {
		return appendJSONString(dst, s)
	}
	if sign == '-' {
		dst = append(dst, '-')
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	dst = append(dst, intPart...)
	if fracPart != "" {
		dst = append(dst, '.')
		dst = append(dst, fracPart...)
	}
	return append(dst, expPart...)
}
