package conformance

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
)

// httpDoer is what the SDK needs of an HTTP client.
type httpDoer interface {
	Do(*http.Request) (*http.Response, error)
}

// exchange is one HTTP round trip as the SDK sent and received it.
type exchange struct {
	operation string // the X-Amz-Target operation, e.g. "PutItem"
	request   []byte
	status    int
	response  []byte
}

// recorder wraps a backend's HTTP client and keeps the last exchange, so
// that the comparison sees the very JSON document the SDK decoded rather
// than the SDK's Go structs (which would hide, for instance, a field the SDK
// does not model). Steps run one at a time per backend, so "the last" is
// the step's own exchange; the SDK's retries are switched off.
type recorder struct {
	next httpDoer

	mu   sync.Mutex
	last *exchange
}

// Do records the request and response bodies and hands the response on
// with its body intact.
func (r *recorder) Do(req *http.Request) (*http.Response, error) {
	ex := &exchange{operation: operationOf(req)}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = canonicalJSON(body)
		ex.request = body
		req.ContentLength = int64(len(body))
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	resp, err := r.next.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	ex.status = resp.StatusCode
	ex.response = body
	r.mu.Lock()
	r.last = ex
	r.mu.Unlock()
	return resp, nil
}

// canonicalJSON returns body with the members of every JSON object in
// name order. The SDK writes a Go map's entries in Go's random map order,
// and DynamoDB Local's answers may depend on that order (tables sharing a
// java.util.HashMap bucket keep the order of the request's RequestItems),
// so each backend must see the same bytes for one step: the canonical ones.
// A body that is not a JSON document is returned as it is.
func canonicalJSON(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		return body
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return body
	}
	return bytes.TrimSuffix(out.Bytes(), []byte("\n"))
}

// take returns the last exchange and forgets it, or nil when no request
// was sent since the previous call (the SDK refused the input itself).
func (r *recorder) take() *exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	ex := r.last
	r.last = nil
	return ex
}

// operationOf reads "DynamoDB_20120810.PutItem" from X-Amz-Target.
func operationOf(req *http.Request) string {
	target := req.Header.Get("X-Amz-Target")
	if i := strings.LastIndexByte(target, '.'); i >= 0 {
		return target[i+1:]
	}
	return target
}
