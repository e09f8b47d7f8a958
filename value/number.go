package value

import (
	"strconv"
	"strings"

	"github.com/cockroachdb/apd/v3"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// MaxDigits is the number of significant digits a DynamoDB number may have.
const MaxDigits = 38

// The adjusted exponent (the power of ten of the most significant digit) of a
// non-zero DynamoDB number lies in [minAdjusted, maxAdjusted]: magnitudes from
// 1E-130 to 9.99…E+125.
const (
	maxAdjusted = 125
	minAdjusted = -130
)

// exact computes sums, differences and products: wide enough that no
// in-range operands round, so an inexact result means "too many digits".
var exact = apd.Context{
	Precision:   2 * (maxAdjusted - minAdjusted + MaxDigits),
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.InvalidOperation,
	Rounding:    apd.RoundHalfUp,
}

// rounding computes quotients, which are rounded to DynamoDB's precision.
var rounding = apd.Context{
	Precision:   MaxDigits,
	MaxExponent: apd.MaxExponent,
	MinExponent: apd.MinExponent,
	Traps:       apd.InvalidOperation,
	Rounding:    apd.RoundHalfUp,
}

// ParseNumber parses s as DynamoDB parses a number: an optional sign, digits
// with an optional decimal point, and an optional exponent ("-1.5", ".5",
// "1e3"). Spaces, NaN, infinities and hexadecimal are rejected (SQLSTATE
// 22P02), and so are values DynamoDB cannot store: more than 38 significant
// digits or a magnitude outside 1E-130 … 9.99…E+125 (22003). The result
// carries no trailing zeros.
func ParseNumber(s string) (*apd.Decimal, error) {
	if !numberSyntax(s) {
		return nil, sqlerr.New(sqlerr.InvalidText, "invalid input syntax for type number: %q", s)
	}
	d, _, err := apd.NewFromString(s)
	if err != nil {
		// The syntax is right, so only the exponent can be out of range.
		return nil, sqlerr.New(sqlerr.NumericOutOfRange, "number %s is out of range", s)
	}
	d.Reduce(d)
	if err := checkStorable(d); err != nil {
		return nil, err
	}
	return d, nil
}

// numberSyntax reports whether s is [+-] (digits [. [digits]] | . digits)
// [(e|E) [+-] digits].
func numberSyntax(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && isDigit(s[i]) {
			i++
			exp++
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// checkStorable returns a 22003 error when d, which has no trailing zeros,
// has more digits or a larger or smaller magnitude than DynamoDB stores.
func checkStorable(d *apd.Decimal) error {
	if d.IsZero() {
		return nil
	}
	nd := d.NumDigits()
	if nd > MaxDigits {
		return sqlerr.New(sqlerr.NumericOutOfRange,
			"number has %d significant digits; DynamoDB numbers have at most %d", nd, MaxDigits)
	}
	adj := int64(d.Exponent) + nd - 1
	if adj > maxAdjusted {
		return sqlerr.New(sqlerr.NumericOutOfRange,
			"number overflow: magnitude above DynamoDB's largest number (9.99…E+125)")
	}
	if adj < minAdjusted {
		return sqlerr.New(sqlerr.NumericOutOfRange,
			"number underflow: magnitude below DynamoDB's smallest number (1E-130)")
	}
	return nil
}

// FormatNumber writes d in DynamoDB's canonical form, the form DynamoDB
// returns numbers in: no exponent, no leading zeros, no trailing zeros after
// the decimal point, and no sign on zero (1.50 → "1.5", 1E+3 → "1000",
// 1E-7 → "0.0000001", -0 → "0").
//
// A number outside DynamoDB's range, which only arithmetic on unchecked
// input can produce, is written with an exponent ("1E+200") rather than
// hundreds of zeros.
func FormatNumber(d *apd.Decimal) string {
	if d.IsZero() {
		return "0"
	}
	var r apd.Decimal
	r.Reduce(d)
	digits := r.Coeff.String()
	var b strings.Builder
	if r.Negative {
		b.WriteByte('-')
	}
	exp := int(r.Exponent)
	if adj := exp + len(digits) - 1; adj > maxAdjusted || adj < minAdjusted {
		b.WriteString(digits)
		b.WriteString("E")
		b.WriteString(strconv.Itoa(exp))
		return b.String()
	}
	switch {
	case exp >= 0:
		b.WriteString(digits)
		for range exp {
			b.WriteByte('0')
		}
	case -exp < len(digits):
		point := len(digits) + exp
		b.WriteString(digits[:point])
		b.WriteByte('.')
		b.WriteString(digits[point:])
	default:
		b.WriteString("0.")
		for range -exp - len(digits) {
			b.WriteByte('0')
		}
		b.WriteString(digits)
	}
	return b.String()
}

// NormalizeNumber validates the number text s and returns it in DynamoDB's
// canonical form, without building a decimal for ordinary plain numbers.
func NormalizeNumber(s string) (string, error) {
	if p, ok := splitPlain(s); ok {
		if err := p.check(); err != nil {
			return "", err
		}
		if p.len() == len(s) {
			return s, nil // nothing to strip: s is canonical already
		}
		return p.String(), nil
	}
	d, err := ParseNumber(s)
	if err != nil {
		return "", err
	}
	return FormatNumber(d), nil
}

// plain is a number written without exponent, split into its sign, its
// integer digits without leading zeros and its fraction digits without
// trailing zeros. Zero is {false, "", ""}.
type plain struct {
	neg  bool
	int  string
	frac string
}

// splitPlain splits s when it is [-]digits[.digits] (the form DynamoDB
// returns numbers in); ok is false for any other form.
func splitPlain(s string) (p plain, ok bool) {
	i := 0
	if i < len(s) && s[i] == '-' {
		p.neg = true
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	intp := s[start:i]
	if intp == "" {
		return p, false
	}
	var frac string
	if i < len(s) {
		if s[i] != '.' {
			return p, false
		}
		i++
		fs := i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		if i != len(s) || i == fs {
			return p, false
		}
		frac = s[fs:]
	}
	p.int = strings.TrimLeft(intp, "0")
	p.frac = strings.TrimRight(frac, "0")
	if p.int == "" && p.frac == "" {
		p.neg = false
	}
	return p, true
}

func (p plain) isZero() bool { return p.int == "" && p.frac == "" }

// digits returns the number of significant digits of p and its adjusted
// exponent (the power of ten of its first significant digit).
func (p plain) digits() (sig, adj int) {
	if p.int != "" {
		return len(strings.TrimRight(p.int+p.frac, "0")), len(p.int) - 1
	}
	lead := len(p.frac) - len(strings.TrimLeft(p.frac, "0"))
	return len(p.frac) - lead, -lead - 1
}

// inRange reports whether p's magnitude is within DynamoDB's range.
func (p plain) inRange() bool {
	if p.isZero() {
		return true
	}
	_, adj := p.digits()
	return adj >= minAdjusted && adj <= maxAdjusted
}

// check applies checkStorable's limits to p.
func (p plain) check() error {
	if p.isZero() {
		return nil
	}
	sig, adj := p.digits()
	switch {
	case sig > MaxDigits:
		return sqlerr.New(sqlerr.NumericOutOfRange,
			"number has %d significant digits; DynamoDB numbers have at most %d", sig, MaxDigits)
	case adj > maxAdjusted:
		return sqlerr.New(sqlerr.NumericOutOfRange,
			"number overflow: magnitude above DynamoDB's largest number (9.99…E+125)")
	case adj < minAdjusted:
		return sqlerr.New(sqlerr.NumericOutOfRange,
			"number underflow: magnitude below DynamoDB's smallest number (1E-130)")
	}
	return nil
}

// len is the length of p.String().
func (p plain) len() int {
	if p.isZero() {
		return 1
	}
	n := max(len(p.int), 1)
	if p.neg {
		n++
	}
	if p.frac != "" {
		n += 1 + len(p.frac)
	}
	return n
}

// String is p in canonical form.
func (p plain) String() string {
	if p.isZero() {
		return "0"
	}
	n := len(p.int) + len(p.frac) + 3
	b := make([]byte, 0, n)
	if p.neg {
		b = append(b, '-')
	}
	if p.int == "" {
		b = append(b, '0')
	} else {
		b = append(b, p.int...)
	}
	if p.frac != "" {
		b = append(b, '.')
		b = append(b, p.frac...)
	}
	return string(b)
}

// sign is -1, 0 or 1.
func (p plain) sign() int {
	switch {
	case p.isZero():
		return 0
	case p.neg:
		return -1
	}
	return 1
}

// cmp compares two plain numbers without building decimals.
func (p plain) cmp(q plain) int {
	ps, qs := p.sign(), q.sign()
	if ps != qs {
		return cmpInt(ps, qs)
	}
	if ps == 0 {
		return 0
	}
	c := 0
	switch {
	case len(p.int) != len(q.int):
		c = cmpInt(len(p.int), len(q.int))
	case p.int != q.int:
		c = strings.Compare(p.int, q.int)
	default:
		c = strings.Compare(p.frac, q.frac)
	}
	return c * ps
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// compareNumbers compares two number texts numerically; ok is false when
// either is not a number.
func compareNumbers(a, b string) (int, bool) {
	pa, oka := splitPlain(a)
	pb, okb := splitPlain(b)
	if oka && okb {
		return pa.cmp(pb), true
	}
	da, err := decimalOf(a)
	if err != nil {
		return 0, false
	}
	db, err := decimalOf(b)
	if err != nil {
		return 0, false
	}
	return da.Cmp(db), true
}

// decimalOf parses number text without DynamoDB's storage limits (values
// read from DynamoDB satisfy them already).
func decimalOf(s string) (*apd.Decimal, error) {
	if !numberSyntax(s) {
		return nil, sqlerr.New(sqlerr.InvalidText, "invalid input syntax for type number: %q", s)
	}
	d, _, err := apd.NewFromString(s)
	if err != nil {
		return nil, sqlerr.New(sqlerr.NumericOutOfRange, "number %s is out of range", s)
	}
	return d, nil
}

// canonicalNumber is the canonical text of the number s, or ok=false when s
// is not a number.
func canonicalNumber(s string) (string, bool) {
	if p, ok := splitPlain(s); ok && p.inRange() {
		return p.String(), true
	}
	d, err := decimalOf(s)
	if err != nil {
		return "", false
	}
	return FormatNumber(d), true
}

// Add returns x + y, exactly; a result DynamoDB cannot store (more than 38
// digits, or out of range) is an error with SQLSTATE 22003.
func Add(x, y *apd.Decimal) (*apd.Decimal, error) {
	return exactOp(exact.Add, x, y)
}

// Sub returns x - y, exactly, with Add's limits.
func Sub(x, y *apd.Decimal) (*apd.Decimal, error) {
	return exactOp(exact.Sub, x, y)
}

// Mul returns x × y, exactly, with Add's limits.
func Mul(x, y *apd.Decimal) (*apd.Decimal, error) {
	return exactOp(exact.Mul, x, y)
}

func exactOp(op func(d, x, y *apd.Decimal) (apd.Condition, error), x, y *apd.Decimal) (*apd.Decimal, error) {
	d := new(apd.Decimal)
	cond, err := op(d, x, y)
	if err != nil || cond.Inexact() {
		return nil, sqlerr.New(sqlerr.NumericOutOfRange, "numeric result out of range")
	}
	d.Reduce(d)
	if err := checkStorable(d); err != nil {
		return nil, err
	}
	return d, nil
}

// Div returns x ÷ y rounded (half away from zero) to 38 significant digits.
// Division by zero has SQLSTATE 22012.
func Div(x, y *apd.Decimal) (*apd.Decimal, error) {
	if y.IsZero() {
		return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
	}
	d := new(apd.Decimal)
	if _, err := rounding.Quo(d, x, y); err != nil {
		return nil, sqlerr.New(sqlerr.NumericOutOfRange, "numeric result out of range")
	}
	return Round(d)
}

// Mod returns the remainder of x ÷ y truncated towards zero; it has the sign
// of x, as SQL's % has. A zero y has SQLSTATE 22012.
func Mod(x, y *apd.Decimal) (*apd.Decimal, error) {
	if y.IsZero() {
		return nil, sqlerr.New(sqlerr.DivisionByZero, "division by zero")
	}
	return exactOp(exact.Rem, x, y)
}

// Round rounds d (half away from zero) to 38 significant digits and checks
// that DynamoDB can store the result. Aggregates use it to bring a sum or
// average computed with more digits back to DynamoDB's precision.
func Round(d *apd.Decimal) (*apd.Decimal, error) {
	r := new(apd.Decimal)
	if _, err := rounding.Round(r, d); err != nil {
		return nil, sqlerr.New(sqlerr.NumericOutOfRange, "numeric result out of range")
	}
	r.Reduce(r)
	if r.IsZero() {
		// A result too small to keep rounds to zero, as SQL's numeric does.
		return r, nil
	}
	if err := checkStorable(r); err != nil {
		return nil, err
	}
	return r, nil
}

// Int64 returns d as an int64 when it is an integer that fits; ok is false
// otherwise.
func Int64(d *apd.Decimal) (n int64, ok bool) {
	n, err := d.Int64()
	return n, err == nil
}

// Text renders n, the result of a count, as number text.
func Text(n int64) string { return strconv.FormatInt(n, 10) }

// Sum adds numbers exactly, whatever their count and magnitudes; SUM and AVG
// use it and round only the final result to DynamoDB's 38 digits. The zero
// value is an empty sum.
type Sum struct {
	total apd.Decimal
	n     int64
}

// Add adds d to the sum.
func (s *Sum) Add(d *apd.Decimal) error {
	cond, err := exact.Add(&s.total, &s.total, d)
	if err != nil || cond.Inexact() {
		return sqlerr.New(sqlerr.NumericOutOfRange, "numeric result out of range")
	}
	s.n++
	return nil
}

// Count is the number of values added.
func (s *Sum) Count() int64 { return s.n }

// Total returns the sum rounded to 38 significant digits.
func (s *Sum) Total() (*apd.Decimal, error) { return Round(&s.total) }

// Mean returns the sum divided by the number of values, rounded to 38
// significant digits; nil when no value was added.
func (s *Sum) Mean() (*apd.Decimal, error) {
	if s.n == 0 {
		return nil, nil
	}
	d := new(apd.Decimal)
	if _, err := rounding.Quo(d, &s.total, apd.New(s.n, 0)); err != nil {
		return nil, sqlerr.New(sqlerr.NumericOutOfRange, "numeric result out of range")
	}
	return Round(d)
}
