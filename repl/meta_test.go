package repl

import (
	"reflect"
	"testing"
	"time"
)

func TestConnectArgs(t *testing.T) {
	cur := Connection{Endpoint: "http://127.0.0.1:8000", Region: "us-east-1", Profile: "dev"}
	cases := []struct {
		args []string
		want Connection
		err  bool
	}{
		{args: nil, want: cur},
		{args: []string{"http://127.0.0.1:9000"}, want: Connection{"http://127.0.0.1:9000", "us-east-1", "dev"}},
		{args: []string{"--region", "eu-west-1"}, want: Connection{"http://127.0.0.1:8000", "eu-west-1", "dev"}},
		{args: []string{"-profile=prod", "--endpoint", ""}, want: Connection{"", "us-east-1", "prod"}},
		{args: []string{"a", "b"}, err: true},
		{args: []string{"--region"}, err: true},
		{args: []string{"--user", "x"}, err: true},
	}
	for _, c := range cases {
		got, err := connectArgs(cur, c.args)
		if (err != nil) != c.err || err == nil && got != c.want {
			t.Errorf("connectArgs(%q) = %+v, %v; want %+v (error %v)", c.args, got, err, c.want, c.err)
		}
	}
}

func TestWatchArgs(t *testing.T) {
	cases := []struct {
		args     []string
		interval time.Duration
		count    int
		err      bool
	}{
		{args: nil, interval: 2 * time.Second},
		{args: []string{"0.5"}, interval: 500 * time.Millisecond},
		{args: []string{"i=3", "c=4"}, interval: 3 * time.Second, count: 4},
		{args: []string{"count=1", "10"}, interval: 10 * time.Second, count: 1},
		{args: []string{"0"}, err: true},
		{args: []string{"c=0"}, err: true},
		{args: []string{"x=1"}, err: true},
	}
	for _, c := range cases {
		interval, count, err := watchArgs(c.args)
		if (err != nil) != c.err || err == nil && (interval != c.interval || count != c.count) {
			t.Errorf("watchArgs(%q) = %v, %d, %v", c.args, interval, count, err)
		}
	}
}

func TestClosestNames(t *testing.T) {
	tables := []string{"Users", "Orders", "OrderItems", "Products", "Events", "Sessions", "Audit"}
	cases := map[string][]string{
		"users":      {"Users"},
		"Ordrs":      {"Orders"},
		"OrderItem":  {"OrderItems"},
		"Order":      {"Orders"},
		"product":    {"Products"},
		"xyz":        nil,
		"Usr":        {"Users"},
		"Sesions":    {"Sessions"},
		"orderitems": {"OrderItems"},
	}
	for name, want := range cases {
		if got := closestNames(name, tables); !reflect.DeepEqual(got, want) {
			t.Errorf("closestNames(%q) = %q, want %q", name, got, want)
		}
	}
	if got := orList([]string{"a", "b", "c"}); got != "a, b or c" {
		t.Errorf("orList = %q", got)
	}
}
