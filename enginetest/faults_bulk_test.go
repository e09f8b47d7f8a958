package enginetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// longEnv, set to 1, runs the bulk fault tests at full size on every
// backend, not only on the engine.
const longEnv = "DDBSQL_LONG"

// bulkFaultItems is the size of the bulk fault runs on b: 50,000 items on
// the engine and on DynamoDB Local, the reference; 5,000 on dynalite, whose
// calls are several times slower and which has no transactions (INSERT
// puts each item), unless DDBSQL_LONG=1 asks for the full size everywhere.
func bulkFaultItems(b testbackend.Backend) int {
	if b.Name != testbackend.Dynalite || os.Getenv(longEnv) == "1" {
		return 50000
	}
	return 5000
}

// faultKind is one thing that goes wrong with a DynamoDB call.
type faultKind int

const (
	// faultNone forwards the call untouched.
	faultNone faultKind = iota
	// faultProvisioned answers ProvisionedThroughputExceededException
	// without forwarding the call.
	faultProvisioned
	// faultThrottling answers ThrottlingException without forwarding.
	faultThrottling
	// faultResetBefore resets the connection before forwarding: the
	// backend never sees the call.
	faultResetBefore
	// faultResetAfter forwards the call, then resets the connection
	// instead of answering: the backend has applied the call and the
	// client cannot know it.
	faultResetAfter
	// faultSlow forwards the call and answers after slowDelay.
	faultSlow
	// faultUnprocessed forwards the first half of a BatchWriteItem's
	// requests and answers the rest as UnprocessedItems.
	faultUnprocessed
	// faultConflict answers a TransactWriteItems, without forwarding it,
	// with a TransactionCanceledException whose last action met another
	// transaction (TransactionConflict).
	faultConflict
)

var faultNames = [...]string{"none", "ProvisionedThroughputExceeded", "Throttling", "reset-before", "reset-after", "slow", "unprocessed", "conflict"}

func (k faultKind) String() string { return faultNames[k] }

// slowDelay is how long a slow answer is held back.
const slowDelay = 30 * time.Millisecond

// faultSchedule is the deterministic fault pattern of one operation: of
// every len(slots) calls, call n gets slots[n % len(slots)]. A retried call
// is a new call and lands on another slot, so each call eventually passes.
type faultSchedule []faultKind

// every returns a schedule of period calls in which each of kinds hits one
// call, spread out over the period.
func every(period int, kinds ...faultKind) faultSchedule {
	s := make(faultSchedule, period)
	for i, k := range kinds {
		s[(i+1)*period/(len(kinds)+1)] = k
	}
	return s
}

// bulkFaultProxy sits between the SDK and a backend on loopback and injects
// faults into the operations it has a schedule for. It counts what it did,
// and in particular the calls the backend applied before the connection
// was reset: the client retries those, and the retry meets the item as the
// first attempt left it.
type bulkFaultProxy struct {
	backend   *url.URL
	transport *http.Transport
	schedules map[string]faultSchedule

	mu     sync.Mutex
	calls  map[string]int
	faults map[string]map[faultKind]int
	// appliedThenReset counts, per operation, the calls the backend
	// answered with success before the proxy reset the connection.
	appliedThenReset map[string]int
}

func newBulkFaultProxy(backend string, schedules map[string]faultSchedule) (*bulkFaultProxy, error) {
	u, err := url.Parse(backend)
	if err != nil {
		return nil, err
	}
	return &bulkFaultProxy{
		backend: u,
		// Keep enough idle connections for every worker: with the default
		// two, a 50,000-call run would open (and leave in TIME_WAIT) a
		// connection per call.
		transport: &http.Transport{Proxy: nil, MaxIdleConns: 64, MaxIdleConnsPerHost: 64},
		schedules: schedules,
		calls:     map[string]int{},
		faults:    map[string]map[faultKind]int{},

		appliedThenReset: map[string]int{},
	}, nil
}

// start serves the proxy on a loopback port until the test ends.
func (p *bulkFaultProxy) start(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(p)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(func() {
		srv.Close()
		p.transport.CloseIdleConnections()
	})
	return srv.URL
}

// next numbers a call of op and returns the fault it gets.
func (p *bulkFaultProxy) next(op string) faultKind {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := p.calls[op]
	p.calls[op]++
	s := p.schedules[op]
	if len(s) == 0 {
		return faultNone
	}
	k := s[n%len(s)]
	if k != faultNone {
		if p.faults[op] == nil {
			p.faults[op] = map[faultKind]int{}
		}
		p.faults[op][k]++
	}
	return k
}

// injected returns how many faults of kind k op got.
func (p *bulkFaultProxy) injected(op string, k faultKind) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faults[op][k]
}

// applied returns how many calls of op the backend applied before the
// proxy reset the connection.
func (p *bulkFaultProxy) applied(op string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.appliedThenReset[op]
}

func (p *bulkFaultProxy) summary() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Sprintf("calls %v, faults %v, applied then reset %v", p.calls, p.faults, p.appliedThenReset)
}

func (p *bulkFaultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")
	switch k := p.next(op); k {
	case faultProvisioned:
		throttle(w, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
			"The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.")
	case faultThrottling:
		throttle(w, "com.amazon.coral.availability#ThrottlingException", "Rate of requests exceeds the allowed throughput.")
	case faultResetBefore:
		reset(w)
	case faultResetAfter:
		status, _, _ := p.roundTrip(r, body)
		if status == http.StatusOK {
			p.mu.Lock()
			p.appliedThenReset[op]++
			p.mu.Unlock()
		}
		reset(w)
	case faultSlow:
		status, header, out := p.roundTrip(r, body)
		time.Sleep(slowDelay)
		answer(w, status, header, out)
	case faultUnprocessed:
		status, header, out := p.roundTripHalf(r, body)
		answer(w, status, header, out)
	case faultConflict:
		conflict(w, body)
	default:
		status, header, out := p.roundTrip(r, body)
		answer(w, status, header, out)
	}
}

// throttle answers a call with DynamoDB's throttling error typ.
func throttle(w http.ResponseWriter, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, `{"__type":%q,"message":%q}`, typ, msg)
}

// conflict answers a TransactWriteItems as DynamoDB does when its last
// action touches an item another transaction is writing: canceled, with a
// reason per action.
func conflict(w http.ResponseWriter, body []byte) {
	var in struct{ TransactItems []json.RawMessage }
	if err := json.Unmarshal(body, &in); err != nil || len(in.TransactItems) == 0 {
		throttle(w, "com.amazon.coral.validate#ValidationException", "not a TransactWriteItems")
		return
	}
	reasons := make([]map[string]string, len(in.TransactItems))
	codes := make([]string, len(reasons))
	for i := range reasons {
		reasons[i], codes[i] = map[string]string{"Code": "None"}, "None"
	}
	last := len(reasons) - 1
	reasons[last] = map[string]string{"Code": "TransactionConflict", "Message": "Transaction is ongoing for the item"}
	codes[last] = "TransactionConflict"
	out, _ := json.Marshal(map[string]any{
		"__type":              "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
		"Message":             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + strings.Join(codes, ", ") + "]",
		"CancellationReasons": reasons,
	})
	w.Header().Set("Content-Type", "application/x-amz-json-1.0")
	w.WriteHeader(http.StatusBadRequest)
	w.Write(out)
}

// reset drops the client's connection with a TCP reset (linger 0), as a
// load balancer or a failing host does, so the client reads
// "connection reset by peer" instead of an answer.
func reset(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	conn.Close()
}

func answer(w http.ResponseWriter, status int, header http.Header, out []byte) {
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	w.Write(out)
}

// roundTrip sends the call to the backend and returns its answer.
func (p *bulkFaultProxy) roundTrip(r *http.Request, body []byte) (int, http.Header, []byte) {
	req, err := http.NewRequest(r.Method, p.backend.String()+r.URL.Path, strings.NewReader(string(body)))
	if err != nil {
		return http.StatusBadGateway, nil, []byte(err.Error())
	}
	req.Header = r.Header.Clone()
	resp, err := p.transport.RoundTrip(req)
	if err != nil {
		return http.StatusBadGateway, nil, []byte(err.Error())
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return http.StatusBadGateway, nil, []byte(err.Error())
	}
	resp.Header.Del("Content-Length")
	resp.Header.Del("X-Amz-Crc32")
	return resp.StatusCode, resp.Header, out
}

// roundTripHalf forwards the first half of each table's BatchWriteItem
// requests and returns the rest as UnprocessedItems.
func (p *bulkFaultProxy) roundTripHalf(r *http.Request, body []byte) (int, http.Header, []byte) {
	forward, unprocessed, err := splitBatchWrite(body)
	if err != nil {
		return http.StatusBadRequest, nil, []byte(err.Error())
	}
	status, header, out := p.roundTrip(r, forward)
	if status == http.StatusOK {
		out = withUnprocessedItems(out, unprocessed)
	}
	return status, header, out
}

// faultRun is a session on a backend through a bulkFaultProxy, and a
// direct client to check what the backend holds.
type faultRun struct {
	t      *testing.T
	proxy  *bulkFaultProxy
	sess   *session.Session
	direct *dynamodb.Client
	// load is a session on the backend without the proxy.
	load *session.Session
}

// newFaultRun starts a proxy with schedules in front of b and opens a
// session through it. The SDK's retryer is ddbsql's own (which errors it
// retries, how many attempts) with its backoff capped at a few
// milliseconds, so that thousands of injected faults cost seconds, not
// the minutes DynamoDB's real backoff schedule would take.
func newFaultRun(t *testing.T, b testbackend.Backend, schedules map[string]faultSchedule) *faultRun {
	t.Helper()
	proxy, err := newBulkFaultProxy(b.Endpoint, schedules)
	if err != nil {
		t.Fatal(err)
	}
	endpoint := proxy.start(t)
	// DynamoDB Local keeps tables per access key: use the harness's.
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	// Up to 50 attempts per call: a call whose retries keep landing on
	// faulted slots must not end the statement.
	client, err := executor.NewClient(context.Background(), executor.ClientConfig{Endpoint: endpoint, Region: "us-east-1", MaxAttempts: 50})
	if err != nil {
		t.Fatal(err)
	}
	client = dynamodb.New(client.Options(), func(o *dynamodb.Options) {
		o.Retryer = retry.AddWithMaxBackoffDelay(o.Retryer, 5*time.Millisecond)
	})
	cfg := session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow, Segments: 4}}
	sess := session.New(client, cfg)
	if err := sess.Set(session.SettingAllowFullTableWrite, "on"); err != nil {
		t.Fatal(err)
	}
	direct := testbackend.Client(t, b)
	return &faultRun{t: t, proxy: proxy, sess: sess, direct: direct, load: session.New(direct, cfg)}
}

// exec runs sql through the proxy and returns its result.
func (r *faultRun) exec(sql string) (*executor.Result, error) {
	stmt, err := parser.ParseOne(sql)
	if err != nil {
		r.t.Fatal(err)
	}
	res, err := r.sess.Run(context.Background(), stmt, nil)
	if err == nil && res.Rows != nil {
		res.Rows.Close()
	}
	return res, err
}

// mustExec runs sql through the proxy and fails the test on an error.
func (r *faultRun) mustExec(sql string) *executor.Result {
	r.t.Helper()
	res, err := r.exec(sql)
	if err != nil {
		r.t.Fatalf("%.100s: %v", sql, err)
	}
	return res
}

// table creates a table (pk TEXT, sk NUMERIC) directly on the backend.
func (r *faultRun) table(base string) string {
	r.t.Helper()
	name := testbackend.TableName(r.t, base)
	mustExec(r.t, r.load, `CREATE TABLE "`+name+`" (pk TEXT, sk NUMERIC, PRIMARY KEY (pk, sk))`)
	r.t.Cleanup(func() { exec(context.Background(), r.load, `DROP TABLE IF EXISTS "`+name+`"`) })
	return name
}

// source creates a table of items items {pk, sk, v, n: 0} directly on the
// backend, and returns it with its items by key.
func (r *faultRun) source(items int) (string, map[string]string) {
	r.t.Helper()
	name := r.table("fault_src")
	var rows []string
	for i := range items {
		rows = append(rows, fmt.Sprintf("('p%03d', %d, 'payload %d', 0)", i%100, i, i))
		if len(rows) == 500 || i == items-1 {
			mustExec(r.t, r.load, `UPSERT INTO "`+name+`" (pk, sk, v, n) VALUES `+strings.Join(rows, ", "))
			rows = rows[:0]
		}
	}
	want := r.contents(name)
	if len(want) != items {
		r.t.Fatalf("source table holds %d items, want %d", len(want), items)
	}
	return name, want
}

// contents reads a whole table directly from the backend, one canonical
// JSON line per item by key; a key seen twice fails the test.
func (r *faultRun) contents(table string) map[string]string {
	r.t.Helper()
	out := map[string]string{}
	for _, it := range scanAll(r.t, r.direct, table) {
		k := itemKey(it)
		if _, dup := out[k]; dup {
			r.t.Fatalf("%s: the scan returned key %s twice", table, k)
		}
		out[k] = itemLine(it)
	}
	return out
}

func itemKey(it map[string]types.AttributeValue) string {
	pk, _ := it["pk"].(*types.AttributeValueMemberS)
	sk, _ := it["sk"].(*types.AttributeValueMemberN)
	if pk == nil || sk == nil {
		return fmt.Sprintf("%v", it)
	}
	return pk.Value + "/" + sk.Value
}

// sameItems fails the test unless got holds exactly the items of want.
func (r *faultRun) sameItems(what string, got, want map[string]string) {
	r.t.Helper()
	bad := 0
	for k, w := range want {
		if g, ok := got[k]; !ok {
			bad++
			if bad <= 5 {
				r.t.Errorf("%s: item %s is missing", what, k)
			}
		} else if g != w {
			bad++
			if bad <= 5 {
				r.t.Errorf("%s: item %s is %s, want %s", what, k, g, w)
			}
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			bad++
			if bad <= 5 {
				r.t.Errorf("%s: unexpected item %s", what, k)
			}
		}
	}
	if bad > 0 {
		r.t.Errorf("%s: %d of %d items differ", what, bad, len(want))
	}
}

// numbers counts the items of table by their attribute n.
func (r *faultRun) numbers(table string) map[string]int {
	r.t.Helper()
	counts := map[string]int{}
	for _, it := range scanAll(r.t, r.direct, table) {
		n, ok := it["n"].(*types.AttributeValueMemberN)
		if !ok {
			counts["missing"]++
			continue
		}
		counts[n.Value]++
	}
	return counts
}

// withN returns want with every item's n set to n.
func withN(want map[string]string, n int) map[string]string {
	out := make(map[string]string, len(want))
	for k, line := range want {
		out[k] = strings.Replace(line, `"n":{"N":"0"}`, fmt.Sprintf(`"n":{"N":"%d"}`, n), 1)
	}
	return out
}

// TestFaultsBulkWrites writes tens of thousands of items with one statement
// through a proxy that throttles (ProvisionedThroughputExceededException,
// ThrottlingException), resets connections before and after forwarding,
// answers slowly and leaves BatchWriteItem items unprocessed: INSERT ...
// SELECT, UPSERT ... SELECT and UPDATE ... WHERE each write every item
// exactly once, and their counts say so.
//
// Size: 50,000 items on the engine and DynamoDB Local; 5,000 on dynalite
// unless DDBSQL_LONG=1.
//
// INSERT groups its conditional puts in TransactWriteItems, which the
// proxy also cancels with a conflict and resets after forwarding (the SDK's
// retry carries the same ClientRequestToken; a backend ignoring it fails the
// retry's conditions on identical items, which count as written). On
// dynalite, which has no transactions, INSERT puts each item with a
// PutItem, not reset after forwarding here; TestFaultsRetriedWriteHazards
// covers that case.
func TestFaultsBulkWrites(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		items := bulkFaultItems(b)
		r := newFaultRun(t, b, map[string]faultSchedule{
			// Reads may be reset after forwarding: they change nothing.
			"Scan":               every(8, faultProvisioned, faultResetBefore, faultResetAfter, faultSlow, faultThrottling),
			"PutItem":            every(97, faultProvisioned, faultThrottling, faultResetBefore, faultSlow),
			"TransactWriteItems": every(7, faultProvisioned, faultConflict, faultThrottling, faultResetBefore, faultResetAfter, faultSlow),
			"UpdateItem":         every(97, faultProvisioned, faultThrottling, faultResetBefore, faultResetAfter, faultSlow),
			// Unconditional batch puts are idempotent: every fault applies.
			"BatchWriteItem": every(11, faultProvisioned, faultUnprocessed, faultResetBefore, faultUnprocessed, faultResetAfter, faultThrottling, faultSlow),
		})
		src, want := r.source(items)

		ins := r.table("fault_ins")
		res := r.mustExec(`INSERT INTO "` + ins + `" SELECT * FROM "` + src + `"`)
		if wantTag := fmt.Sprintf("INSERT 0 %d", items); res.Tag != wantTag {
			t.Errorf("INSERT ... SELECT: %s, want %s", res.Tag, wantTag)
		}
		r.sameItems("INSERT ... SELECT", r.contents(ins), want)

		ups := r.table("fault_ups")
		res = r.mustExec(`UPSERT INTO "` + ups + `" SELECT * FROM "` + src + `"`)
		if wantTag := fmt.Sprintf("INSERT 0 %d", items); res.Tag != wantTag {
			t.Errorf("UPSERT ... SELECT: %s, want %s", res.Tag, wantTag)
		}
		r.sameItems("UPSERT ... SELECT", r.contents(ups), want)

		// The retry of an update the backend applied before the connection
		// was reset fails its condition (n is pinned to the value read);
		// the stored item shows n changed by a call that was retried, so
		// the item counts as updated, once.
		res = r.mustExec(`UPDATE "` + ups + `" SET n = n + 1 WHERE n = 0`)
		applied := r.proxy.applied("UpdateItem")
		if res.Matched != int64(items) || res.Skipped != 0 || res.RowsAffected != int64(items) {
			t.Errorf("UPDATE ... WHERE: matched %d, updated %d, skipped %d; want matched %d, updated %d, skipped 0 (%d updates applied before a reset)",
				res.Matched, res.RowsAffected, res.Skipped, items, items, applied)
		}
		if wantTag := fmt.Sprintf("UPDATE %d", items); res.Tag != wantTag {
			t.Errorf("UPDATE ... WHERE: %s, want %s", res.Tag, wantTag)
		}
		r.sameItems("UPDATE ... WHERE", r.contents(ups), withN(want, 1))

		// Without resets after forwarding the count is exact. A tenth of
		// the items is enough to show it (the scan still reads them all).
		r.proxy.mu.Lock()
		r.proxy.schedules["UpdateItem"] = every(97, faultProvisioned, faultThrottling, faultResetBefore, faultSlow)
		r.proxy.mu.Unlock()
		part := items / 10
		res = r.mustExec(fmt.Sprintf(`UPDATE "%s" SET n = n + 1 WHERE n = 1 AND sk < %d`, ups, part))
		if res.Tag != fmt.Sprintf("UPDATE %d", part) || res.Matched != int64(part) || res.Skipped != 0 {
			t.Errorf("UPDATE ... WHERE without resets after forwarding: %s, matched %d, skipped %d; want UPDATE %d, matched %d, skipped 0",
				res.Tag, res.Matched, res.Skipped, part, part)
		}
		after := withN(want, 1)
		for k, line := range withN(want, 2) {
			var sk int
			if _, err := fmt.Sscanf(k[strings.IndexByte(k, '/')+1:], "%d", &sk); err != nil {
				t.Fatal(err)
			}
			if sk < part {
				after[k] = line
			}
		}
		r.sameItems("second UPDATE ... WHERE", r.contents(ups), after)

		t.Log(r.proxy.summary())
		expected := map[string][]faultKind{
			"Scan":               {faultProvisioned, faultThrottling, faultResetBefore, faultResetAfter, faultSlow},
			"TransactWriteItems": {faultProvisioned, faultThrottling, faultResetBefore, faultResetAfter, faultSlow, faultConflict},
			"UpdateItem":         {faultProvisioned, faultThrottling, faultResetBefore, faultResetAfter, faultSlow},
			"BatchWriteItem":     {faultProvisioned, faultThrottling, faultResetBefore, faultResetAfter, faultSlow, faultUnprocessed},
		}
		if b.Name == testbackend.Dynalite {
			// No transactions: INSERT puts each item.
			delete(expected, "TransactWriteItems")
			expected["PutItem"] = []faultKind{faultProvisioned, faultThrottling, faultResetBefore, faultSlow}
		}
		for op, kinds := range expected {
			for _, k := range kinds {
				if r.proxy.injected(op, k) == 0 {
					t.Errorf("no %s fault was injected into %s", k, op)
				}
			}
		}
		if applied == 0 {
			t.Error("no UpdateItem was applied before a reset: the exactly-once check proved nothing")
		}
	})
}

// TestFaultsRetriedWriteHazards resets connections after DynamoDB applied
// a write, so that the SDK retries a call whose first attempt took effect,
// for the writes whose retry is not idempotent by itself.
//
// An UPDATE whose WHERE still holds after the update (SET n = n + 1 WHERE
// n >= 0) would apply the retry again. Its writes pin n to the value read:
// the retry fails its condition, the stored item shows n changed by a call
// that was retried, and the item counts as updated without being written
// again. Every item is incremented exactly once and the count says so; the
// same holds for list_append onto an attribute the items do not have yet
// (pinned with attribute_not_exists).
//
// INSERT ... SELECT's retried conditional PutItem (insert_batch = 1, or
// dynalite) finds the item its first attempt wrote. The executor asks for
// the existing item with the failed condition (ALL_OLD) and, when the call
// was retried and that item equals the one inserted, counts it as written:
// every item is copied once and the count is right. Its retried
// TransactWriteItems (the default) carries the call's ClientRequestToken,
// and a backend that ignores it cancels the retry on items identical to
// those inserted, which count as written the same way.
func TestFaultsRetriedWriteHazards(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		const items = 1000
		r := newFaultRun(t, b, map[string]faultSchedule{
			"UpdateItem":         every(50, faultResetAfter),
			"PutItem":            every(50, faultResetAfter),
			"TransactWriteItems": every(3, faultResetAfter),
		})
		src, _ := r.source(items)

		res := r.mustExec(`UPDATE "` + src + `" SET n = n + 1 WHERE n >= 0`)
		applied := r.proxy.applied("UpdateItem")
		if applied == 0 {
			t.Fatal("no UpdateItem was applied before a reset")
		}
		if res.Tag != fmt.Sprintf("UPDATE %d", items) || res.Matched != items || res.Skipped != 0 {
			t.Errorf("UPDATE ... WHERE n >= 0: %s, matched %d, skipped %d; want UPDATE %d, matched %d, skipped 0",
				res.Tag, res.Matched, res.Skipped, items, items)
		}
		if counts := r.numbers(src); len(counts) != 1 || counts["1"] != items {
			t.Errorf("after UPDATE ... WHERE n >= 0 through %d resets after forwarding: items by n %v, want all %d at n = 1",
				applied, counts, items)
		}

		res = r.mustExec(`UPDATE "` + src + `" SET tags = list_append(if_not_exists(tags, []), ['x']) WHERE n >= 0`)
		if again := r.proxy.applied("UpdateItem") - applied; again == 0 {
			t.Error("no list_append UpdateItem was applied before a reset")
		}
		if res.Tag != fmt.Sprintf("UPDATE %d", items) || res.Skipped != 0 {
			t.Errorf("UPDATE SET tags = list_append(...): %s, skipped %d; want UPDATE %d, skipped 0", res.Tag, res.Skipped, items)
		}
		tags := map[string]int{}
		for _, it := range scanAll(t, r.direct, src) {
			tags[itemLine(map[string]types.AttributeValue{"tags": it["tags"]})]++
		}
		if once := `{"tags":{"L":[{"S":"x"}]}}`; len(tags) != 1 || tags[once] != items {
			t.Errorf("after UPDATE SET tags = list_append(...) through resets: items by tags %v, want all %d with %s", tags, items, once)
		}

		for _, batch := range []string{"1", "100"} {
			if batch == "100" && !b.Caps.Transactions {
				continue // dynalite: one PutItem per item whatever the setting
			}
			r.mustExec(`SET insert_batch = ` + batch)
			op := map[string]string{"1": "PutItem", "100": "TransactWriteItems"}[batch]
			before := r.proxy.applied(op)
			dst := r.table("fault_dup")
			res = r.mustExec(`INSERT INTO "` + dst + `" SELECT * FROM "` + src + `"`)
			if r.proxy.applied(op) == before {
				t.Fatalf("insert_batch = %s: no %s was applied before a reset", batch, op)
			}
			if want := fmt.Sprintf("INSERT 0 %d", items); res.Tag != want {
				t.Errorf("INSERT ... SELECT (insert_batch = %s) through resets after applied %s calls: %s, want %s", batch, op, res.Tag, want)
			}
			r.sameItems("INSERT ... SELECT (insert_batch = "+batch+") through resets", r.contents(dst), r.contents(src))
		}
	})
}
