package value

import (
	"strings"
	"testing"

	"github.com/cockroachdb/apd/v3"

	"github.com/ddbsql/ddbsql/sqlerr"
)

// The canonical forms below are what DynamoDB Local 3.3.1 returned for each
// number written with PutItem and read back with GetItem; the errors are the
// numbers it rejected.
var dynamoDBLocalNumbers = []struct {
	in, out string
	code    string
}{
	{"1.50", "1.5", ""},
	{"1e3", "1000", ""},
	{"100", "100", ""},
	{"0.0", "0", ""},
	{"-0", "0", ""},
	{"001.2", "1.2", ""},
	{"1E+125", "1" + strings.Repeat("0", 125), ""},
	{"9.9999999999999999999999999999999999999E+125", strings.Repeat("9", 38) + strings.Repeat("0", 88), ""},
	{"1e-130", "0." + strings.Repeat("0", 129) + "1", ""},
	{"12345678901234567890123456789012345678", "12345678901234567890123456789012345678", ""},
	{"1234567890123456789012345678901234567800000", "1234567890123456789012345678901234567800000", ""},
	{"0.000001", "0.000001", ""},
	{"1.5e-7", "0.00000015", ""},
	{"-12.3400", "-12.34", ""},
	{"+5", "5", ""},
	{".5", "0.5", ""},
	{"5.", "5", ""},
	{"1E2", "100", ""},
	{"1.0e0", "1", ""},
	{"1e126", "", sqlerr.NumericOutOfRange},
	{"1e-131", "", sqlerr.NumericOutOfRange},
	{"123456789012345678901234567890123456789", "", sqlerr.NumericOutOfRange},
	{"1.000000000000000000000000000000000000000000001", "", sqlerr.NumericOutOfRange},
	{"NaN", "", sqlerr.InvalidText},
	{"0x10", "", sqlerr.InvalidText},
	{" 1", "", sqlerr.InvalidText},
	// Further cases of the same rules.
	{"Infinity", "", sqlerr.InvalidText},
	{"", "", sqlerr.InvalidText},
	{".", "", sqlerr.InvalidText},
	{"1e", "", sqlerr.InvalidText},
	{"--1", "", sqlerr.InvalidText},
	{"1e99999999999", "", sqlerr.NumericOutOfRange},
	{"-0.000", "0", ""},
	{"0e10", "0", ""},
	{"1000000000000000000000000000000000000000000000", "1000000000000000000000000000000000000000000000", ""},
}

func TestParseAndFormatNumber(t *testing.T) {
	for _, c := range dynamoDBLocalNumbers {
		d, err := ParseNumber(c.in)
		norm, nerr := NormalizeNumber(c.in)
		if c.code != "" {
			if err == nil || sqlerr.Code(err) != c.code {
				t.Errorf("ParseNumber(%q) = %v, %v; want error %s", c.in, d, err, c.code)
			}
			if nerr == nil || sqlerr.Code(nerr) != c.code {
				t.Errorf("NormalizeNumber(%q) = %q, %v; want error %s", c.in, norm, nerr, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseNumber(%q): %v", c.in, err)
			continue
		}
		if got := FormatNumber(d); got != c.out {
			t.Errorf("FormatNumber(ParseNumber(%q)) = %q, want %q", c.in, got, c.out)
		}
		if nerr != nil || norm != c.out {
			t.Errorf("NormalizeNumber(%q) = %q, %v; want %q", c.in, norm, nerr, c.out)
		}
	}
}

func TestFormatNumberOutOfRange(t *testing.T) {
	d, _, _ := apd.NewFromString("-1.5e300")
	if got := FormatNumber(d); got != "-15E299" {
		t.Errorf("FormatNumber(-1.5e300) = %q", got)
	}
}

func num(t *testing.T, s string) *apd.Decimal {
	t.Helper()
	d, err := ParseNumber(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestArithmetic(t *testing.T) {
	big := strings.Repeat("9", 38)
	cases := []struct {
		op   string
		x, y string
		want string
		code string
	}{
		{"+", "1.5", "2.50", "4", ""},
		{"+", "0.1", "0.2", "0.3", ""},
		{"-", "1", "1.000", "0", ""},
		{"-", "1", "3", "-2", ""},
		{"*", "1.5", "-2", "-3", ""},
		{"*", "1e100", "1e100", "", sqlerr.NumericOutOfRange},
		{"*", "1e-100", "1e-100", "", sqlerr.NumericOutOfRange},
		{"+", big, "1", "1" + strings.Repeat("0", 38), ""},
		{"+", big, "0.1", "", sqlerr.NumericOutOfRange},
		{"/", "1", "3", "0." + strings.Repeat("3", 38), ""},
		{"/", "2", "3", "0." + strings.Repeat("6", 37) + "7", ""},
		{"/", "10", "4", "2.5", ""},
		{"/", "1", "0", "", sqlerr.DivisionByZero},
		{"/", "1e125", "1e-10", "", sqlerr.NumericOutOfRange},
		{"%", "7", "3", "1", ""},
		{"%", "-7", "3", "-1", ""},
		{"%", "7.5", "2", "1.5", ""},
		{"%", "7", "0", "", sqlerr.DivisionByZero},
		{"%", "1e100", "3", "1", ""},
	}
	ops := map[string]func(x, y *apd.Decimal) (*apd.Decimal, error){"+": Add, "-": Sub, "*": Mul, "/": Div, "%": Mod}
	for _, c := range cases {
		got, err := ops[c.op](num(t, c.x), num(t, c.y))
		if c.code != "" {
			if err == nil || sqlerr.Code(err) != c.code {
				t.Errorf("%s %s %s = %v, %v; want error %s", c.x, c.op, c.y, got, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s %s: %v", c.x, c.op, c.y, err)
			continue
		}
		if s := FormatNumber(got); s != c.want {
			t.Errorf("%s %s %s = %s, want %s", c.x, c.op, c.y, s, c.want)
		}
	}
}

func TestRoundAndInt64(t *testing.T) {
	d, _, _ := apd.NewFromString("1." + strings.Repeat("4", 40) + "5")
	r, err := Round(d)
	if err != nil || FormatNumber(r) != "1."+strings.Repeat("4", 37) {
		t.Errorf("Round = %v, %v", r, err)
	}
	if n, ok := Int64(num(t, "1e3")); !ok || n != 1000 {
		t.Errorf("Int64(1e3) = %d, %v", n, ok)
	}
	if _, ok := Int64(num(t, "1.5")); ok {
		t.Error("Int64(1.5) ok")
	}
	if _, ok := Int64(num(t, "1e30")); ok {
		t.Error("Int64(1e30) ok")
	}
}

func TestSum(t *testing.T) {
	var s Sum
	for _, x := range []string{"1e20", "1e-17", "0.5", "-0.5"} {
		if err := s.Add(num(t, x)); err != nil {
			t.Fatal(err)
		}
	}
	total, err := s.Total()
	if err != nil || FormatNumber(total) != "100000000000000000000.00000000000000001" {
		t.Errorf("Total = %v, %v", total, err)
	}
	mean, err := s.Mean()
	if err != nil || FormatNumber(mean) != "25000000000000000000.000000000000000003" {
		t.Errorf("Mean = %v, %v", mean, err)
	}
	if s.Count() != 4 {
		t.Errorf("Count = %d", s.Count())
	}
	var empty Sum
	if m, err := empty.Mean(); m != nil || err != nil {
		t.Errorf("empty Mean = %v, %v", m, err)
	}
	if total, err := empty.Total(); err != nil || FormatNumber(total) != "0" {
		t.Errorf("empty Total = %v, %v", total, err)
	}
	var big Sum
	for range 2 {
		big.Add(num(t, "9e125"))
	}
	if _, err := big.Total(); sqlerr.Code(err) != sqlerr.NumericOutOfRange {
		t.Errorf("overflowing Total: %v", err)
	}
}
