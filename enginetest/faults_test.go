package enginetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ddbsql/ddbsql/executor"
	"github.com/ddbsql/ddbsql/internal/testbackend"
	"github.com/ddbsql/ddbsql/parser"
	"github.com/ddbsql/ddbsql/planner"
	"github.com/ddbsql/ddbsql/session"
)

// faultProxy sits between the SDK and a real backend on loopback and
// injects what DynamoDB does under load: throttling errors, BatchGetItem
// answers that leave keys unprocessed, and dropped connections.
type faultProxy struct {
	backend *url.URL
	mu      sync.Mutex
	calls   map[string]int // per operation
	faults  map[string]int
}

func (p *faultProxy) count(op string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.calls[op]++
	return p.calls[op]
}

func (p *faultProxy) fault(op string) {
	p.mu.Lock()
	p.faults[op]++
	p.mu.Unlock()
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_20120810.")
	n := p.count(op)
	switch {
	case op == "Scan" && n%2 == 1:
		p.fault(op)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}`)
		return
	case op == "Query" && n%3 == 1:
		p.fault(op)
		// Drop the connection without an answer.
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	case op == "BatchGetItem":
		p.batchGetHalf(w, r, body)
		return
	case op == "BatchWriteItem" && n%3 == 1:
		p.fault(op)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}`)
		return
	case op == "BatchWriteItem":
		p.batchWriteHalf(w, r, body)
		return
	}
	p.forward(w, r, body)
}

// forward sends the request to the backend and copies the answer.
func (p *faultProxy) forward(w http.ResponseWriter, r *http.Request, body []byte) {
	status, header, out := p.roundTrip(r, body)
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	w.Write(out)
}

func (p *faultProxy) roundTrip(r *http.Request, body []byte) (int, http.Header, []byte) {
	req, _ := http.NewRequest(r.Method, p.backend.String()+r.URL.Path, bytes.NewReader(body))
	req.Header = r.Header.Clone()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return http.StatusBadGateway, nil, []byte(err.Error())
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	resp.Header.Del("Content-Length")
	resp.Header.Del("X-Amz-Crc32")
	return resp.StatusCode, resp.Header, out
}

// batchGetHalf forwards only the first half of each table's keys and
// returns the rest as UnprocessedKeys, as DynamoDB does when a batch
// exceeds its capacity or 16 MB.
func (p *faultProxy) batchGetHalf(w http.ResponseWriter, r *http.Request, body []byte) {
	var in struct {
		RequestItems map[string]map[string]json.RawMessage
	}
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	unprocessed := map[string]map[string]json.RawMessage{}
	for table, req := range in.RequestItems {
		var keys []json.RawMessage
		json.Unmarshal(req["Keys"], &keys)
		if len(keys) < 2 {
			continue
		}
		p.fault("BatchGetItem")
		half := len(keys) / 2
		first, _ := json.Marshal(keys[:half])
		rest, _ := json.Marshal(keys[half:])
		u := map[string]json.RawMessage{}
		for k, v := range req {
			u[k] = v
		}
		u["Keys"] = rest
		unprocessed[table] = u
		req["Keys"] = first
	}
	newBody, _ := json.Marshal(in)
	status, header, out := p.roundTrip(r, newBody)
	if status == http.StatusOK && len(unprocessed) > 0 {
		var resp map[string]json.RawMessage
		json.Unmarshal(out, &resp)
		resp["UnprocessedKeys"], _ = json.Marshal(unprocessed)
		out, _ = json.Marshal(resp)
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	w.Write(out)
}

// batchWriteHalf forwards only the first half of each table's write
// requests and returns the rest as UnprocessedItems.
func (p *faultProxy) batchWriteHalf(w http.ResponseWriter, r *http.Request, body []byte) {
	forward, unprocessed, err := splitBatchWrite(body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if len(unprocessed) > 0 {
		p.fault("BatchWriteItem")
	}
	status, header, out := p.roundTrip(r, forward)
	if status == http.StatusOK {
		out = withUnprocessedItems(out, unprocessed)
	}
	for k, v := range header {
		w.Header()[k] = v
	}
	w.WriteHeader(status)
	w.Write(out)
}

// splitBatchWrite keeps the first half of each table's requests in a
// BatchWriteItem body and returns the rest, as DynamoDB leaves them
// unprocessed when a partition runs short of capacity. Tables with a
// single request are left whole.
func splitBatchWrite(body []byte) ([]byte, map[string][]json.RawMessage, error) {
	var in struct {
		RequestItems           map[string][]json.RawMessage
		ReturnConsumedCapacity string `json:",omitempty"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return nil, nil, err
	}
	unprocessed := map[string][]json.RawMessage{}
	for table, reqs := range in.RequestItems {
		if len(reqs) < 2 {
			continue
		}
		half := len(reqs) / 2
		unprocessed[table] = reqs[half:]
		in.RequestItems[table] = reqs[:half]
	}
	forward, err := json.Marshal(in)
	return forward, unprocessed, err
}

// withUnprocessedItems adds unprocessed to a BatchWriteItem answer.
func withUnprocessedItems(out []byte, unprocessed map[string][]json.RawMessage) []byte {
	if len(unprocessed) == 0 {
		return out
	}
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(out, &resp); err != nil {
		return out
	}
	resp["UnprocessedItems"], _ = json.Marshal(unprocessed)
	changed, err := json.Marshal(resp)
	if err != nil {
		return out
	}
	return changed
}

// TestFaults runs statements through a proxy that throttles, leaves batch
// keys unprocessed and drops connections: every item must arrive exactly
// once.
func TestFaults(t *testing.T) {
	testbackend.Each(t, func(t *testing.T, b testbackend.Backend) {
		sampleSession(t, b) // load the data
		target, _ := url.Parse(b.Endpoint)
		proxy := &faultProxy{backend: target, calls: map[string]int{}, faults: map[string]int{}}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewUnstartedServer(proxy)
		srv.Listener.Close()
		srv.Listener = ln
		srv.Start()
		defer srv.Close()

		ctx := context.Background()
		// DynamoDB Local keeps tables per access key: use the harness's.
		t.Setenv("AWS_ACCESS_KEY_ID", "test")
		t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
		client, err := executor.NewClient(ctx, executor.ClientConfig{Endpoint: srv.URL, Region: "us-east-1"})
		if err != nil {
			t.Fatal(err)
		}
		sess := session.New(client, session.Config{Planner: planner.Options{ScanPolicy: planner.ScanAllow, Segments: 4}})
		count := func(sql string) (int, map[string]bool) {
			t.Helper()
			stmt, err := parser.ParseOne(sql)
			if err != nil {
				t.Fatal(err)
			}
			res, err := sess.Run(ctx, stmt, nil)
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			lines, err := Rows(res, nil)
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			seen := map[string]bool{}
			for _, l := range lines {
				if seen[l] {
					t.Fatalf("%s: duplicate row %s", sql, l)
				}
				seen[l] = true
			}
			return len(lines), seen
		}

		if n, _ := count(`SELECT deviceId, "timestamp" FROM IoTSensorData`); n != 2000 {
			t.Errorf("throttled parallel scan returned %d items, want 2000", n)
		}
		var keys []string
		for i := 1; i <= 50; i++ {
			keys = append(keys, fmt.Sprintf("'u%03d'", i))
		}
		if n, _ := count(`SELECT userId FROM Users WHERE userId IN (` + strings.Join(keys, ", ") + `)`); n != 50 {
			t.Errorf("BatchGetItem with unprocessed keys returned %d items, want 50", n)
		}
		want, _ := count(`SELECT customerId, orderId FROM Orders WHERE customerId IN ('u001', 'u002', 'u003', 'u004')`)
		if want < 50 {
			t.Errorf("Query with dropped connections returned %d items", want)
		}
		if got, _ := count(`SELECT COUNT(*) AS n FROM Orders WHERE customerId = 'u001'`); got != 1 {
			t.Errorf("COUNT returned %d rows", got)
		}

		// A multi-row UPSERT through throttled and half-processed
		// BatchWriteItem calls, then a set-based UPDATE over a throttled
		// parallel scan: every item written exactly once.
		run := func(sql string) string {
			t.Helper()
			stmt, err := parser.ParseOne(sql)
			if err != nil {
				t.Fatal(err)
			}
			res, err := sess.Run(ctx, stmt, nil)
			if err != nil {
				t.Fatalf("%s: %v", sql, err)
			}
			if res.Rows != nil {
				res.Rows.Close()
			}
			return res.Tag
		}
		run(`DROP TABLE IF EXISTS fault_writes`)
		run(`CREATE TABLE fault_writes (id TEXT, PRIMARY KEY (id))`)
		defer run(`DROP TABLE IF EXISTS fault_writes`)
		const items = 300
		var rows []string
		for i := range items {
			rows = append(rows, fmt.Sprintf("('k%04d', 0)", i))
		}
		if tag := run(`UPSERT INTO fault_writes (id, n) VALUES ` + strings.Join(rows, ", ")); tag != fmt.Sprintf("INSERT 0 %d", items) {
			t.Errorf("UPSERT through faults: %s, want INSERT 0 %d", tag, items)
		}
		if n, _ := count(`SELECT id FROM fault_writes WHERE n = 0`); n != items {
			t.Errorf("after UPSERT: %d items, want %d", n, items)
		}
		if tag := run(`UPDATE fault_writes SET n = n + 1 WHERE n = 0`); tag != fmt.Sprintf("UPDATE %d", items) {
			t.Errorf("UPDATE through faults: %s, want UPDATE %d", tag, items)
		}
		if n, _ := count(`SELECT id FROM fault_writes WHERE n = 1`); n != items {
			t.Errorf("after UPDATE: %d items have n = 1, want %d", n, items)
		}

		proxy.mu.Lock()
		defer proxy.mu.Unlock()
		t.Logf("calls %v, faults injected %v", proxy.calls, proxy.faults)
		for _, op := range []string{"Scan", "Query", "BatchGetItem", "BatchWriteItem"} {
			if proxy.faults[op] == 0 {
				t.Errorf("no fault was injected into %s", op)
			}
		}
	})
}
