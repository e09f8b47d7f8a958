package ddblocal

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"hash/crc32"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

// targetPrefix starts the X-Amz-Target header of every DynamoDB request.
const targetPrefix = "DynamoDB_20120810."

// maxRequestBody bounds a request body: DynamoDB's largest requests (25
// items of 400 KB in a BatchWriteItem, 100 in a transaction) stay well
// below it.
const maxRequestBody = 64 << 20

// operation runs one API call on its JSON body and returns the response
// value to marshal.
type operation func(db *DB, body []byte) (any, error)

// operations maps X-Amz-Target operation names to their implementation.
var operations = map[string]operation{
	"CreateTable":        (*DB).createTable,
	"DeleteTable":        (*DB).deleteTable,
	"DescribeTable":      (*DB).describeTable,
	"ListTables":         (*DB).listTables,
	"UpdateTable":        (*DB).updateTable,
	"UpdateTimeToLive":   (*DB).updateTimeToLive,
	"DescribeTimeToLive": (*DB).describeTimeToLive,
	"PutItem":            (*DB).putItem,
	"GetItem":            (*DB).getItem,
	"UpdateItem":         (*DB).updateItem,
	"DeleteItem":         (*DB).deleteItem,
	"Query":              (*DB).query,
	"Scan":               (*DB).scan,
	"BatchGetItem":       (*DB).batchGetItem,
	"BatchWriteItem":     (*DB).batchWriteItem,
	"TransactWriteItems": (*DB).transactWriteItems,
	"TransactGetItems":   (*DB).transactGetItems,
	"TagResource":        (*DB).tagResource,
	"UntagResource":      (*DB).untagResource,
	"ListTagsOfResource": (*DB).listTagsOfResource,
}

// Handler serves the DynamoDB JSON 1.0 protocol: POST with
// X-Amz-Target: DynamoDB_20120810.<Operation> and a JSON body. Request
// signatures are not checked: the engine trusts whoever can reach it, so
// serve it on loopback.
func (db *DB) Handler() http.Handler {
	return http.HandlerFunc(db.serveHTTP)
}

func (db *DB) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		// DynamoDB answers a GET of / (a health check) with a plain 200.
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, "healthy: ddbsql local\n")
		return
	}
	target := r.Header.Get("X-Amz-Target")
	op, ok := operations[strings.TrimPrefix(target, targetPrefix)]
	if !ok || !strings.HasPrefix(target, targetPrefix) {
		writeError(w, &apiError{Type: "UnknownOperationException", Message: "An unknown operation was requested."})
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody))
	if err != nil {
		writeError(w, &apiError{Type: "SerializationException", Message: "cannot read request body: " + err.Error()})
		return
	}
	resp, err := op(db, body)
	if err != nil {
		writeError(w, asAPIError(err))
		return
	}
	out, err := json.Marshal(resp)
	if err != nil {
		writeError(w, internalError(err))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// asAPIError turns any error an operation returns into the error answered:
// API errors as they are, JSON syntax and type errors as DynamoDB's
// SerializationException, anything else as an internal error.
func asAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	if errors.As(err, &syn) || errors.As(err, &typ) {
		return &apiError{Type: "SerializationException", Message: err.Error()}
	}
	return internalError(err)
}

func writeError(w http.ResponseWriter, e *apiError) {
	out, _ := json.Marshal(e)
	status := e.status
	if status == 0 {
		status = http.StatusBadRequest
	}
	writeJSON(w, status, out)
}

// writeJSON writes a response with the headers DynamoDB sends: the SDKs
// verify x-amz-crc32 when present, so it is always correct.
func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.0")
	h.Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
	h.Set("X-Amzn-Requestid", requestID())
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func requestID() string {
	var b [16]byte
	rand.Read(b[:])
	return strings.ToUpper(hex.EncodeToString(b[:]))
}

// HTTPClient returns an *http.Client whose transport serves every request
// in process through Handler, without a socket. Give it to the SDK
// (dynamodb.Options.HTTPClient) with any endpoint: the requests take
// exactly the path they take against DynamoDB, signing and retries
// included.
func (db *DB) HTTPClient() *http.Client {
	return &http.Client{Transport: inProcess{db.Handler()}}
}

// inProcess is an http.RoundTripper calling a handler directly.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := r.Context().Err(); err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	rec := httptest.NewRecorder()
	t.h.ServeHTTP(rec, r)
	if r.Body != nil {
		r.Body.Close()
	}
	resp := rec.Result()
	resp.Request = r
	return resp, nil
}
