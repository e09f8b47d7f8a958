package conformance

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// target is one backend under comparison: a client whose HTTP exchanges
// are recorded.
type target struct {
	name   string
	client *dynamodb.Client
	rec    *recorder
}

// newTarget builds an SDK client for endpoint over doer, recording every
// exchange. Retries are off: a throttle or a 500 is an answer to compare,
// not something to hide.
func newTarget(name, endpoint string, doer httpDoer) *target {
	rec := &recorder{next: doer}
	client := dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("x", "x", ""),
		BaseEndpoint: aws.String(endpoint),
		HTTPClient:   rec,
		Retryer:      aws.NopRetryer{},
	})
	return &target{name: name, client: client, rec: rec}
}

// step is one call of a case. Its input is the same value for both
// backends, unless derive builds it from the backend's own previous output
// (to use an ARN, say).
type step struct {
	in     any
	derive func(prev any) any
	// pages follows LastEvaluatedKey (or the operation's next-page token)
	// to the last page, comparing every page.
	pages bool
	// segments, for a Scan, runs each of that many segments (each walked
	// to its last page) in turn.
	segments int32
	// want and wantStatus, for a call DynamoDB Local does not serve (see
	// exceptions), are the answer DynamoDB documents: the normalized
	// response body and the HTTP status.
	want       any
	wantStatus int
}

// expect sets the answer st must give where DynamoDB Local cannot answer
// it: the HTTP status and response document DynamoDB documents.
func expect(st step, status int, body string) step {
	st.want, st.wantStatus = normalize([]byte(body)), status
	return st
}

// call is a step of one call; walk one that pages to the end; segmented a
// parallel Scan of every segment.
func call(in any) step                               { return step{in: in} }
func walk(in any) step                               { return step{in: in, pages: true} }
func derived(f func(prev any) any) step              { return step{derive: f} }
func segmented(in *dynamodb.ScanInput, n int32) step { return step{in: in, pages: true, segments: n} }

// page is one call and its answer.
type page struct {
	in  any
	out any
	err error
	ex  *exchange
	doc any // the normalized response body
}

// run performs st on tg; prev is tg's output of the previous step.
func (st step) run(ctx context.Context, tg *target, prev any) []page {
	in := st.in
	if st.derive != nil {
		in = st.derive(prev)
	}
	if st.segments > 0 {
		var pages []page
		for seg := range st.segments {
			s := *in.(*dynamodb.ScanInput)
			s.Segment, s.TotalSegments = aws.Int32(seg), aws.Int32(st.segments)
			pages = append(pages, walkPages(ctx, tg, &s)...)
		}
		return pages
	}
	if st.pages {
		return walkPages(ctx, tg, in)
	}
	return []page{callOnce(ctx, tg, in)}
}

// maxPages stops a walk whose backend never stops returning a next page.
const maxPages = 500

func walkPages(ctx context.Context, tg *target, in any) []page {
	var pages []page
	for in != nil && len(pages) < maxPages {
		p := callOnce(ctx, tg, in)
		pages = append(pages, p)
		if p.err != nil {
			break
		}
		in = nextPage(in, p.out)
	}
	return pages
}

func callOnce(ctx context.Context, tg *target, in any) page {
	tg.rec.take()
	out, err := invoke(ctx, tg.client, in)
	p := page{in: in, out: out, err: err, ex: tg.rec.take()}
	if p.ex != nil {
		p.doc = normalize(p.ex.response)
	}
	return p
}

// comparePages returns the differences between the reference's pages and
// the candidate's, one line each; none means identical.
func comparePages(ref, cand []page) []string {
	var out []string
	if len(ref) != len(cand) {
		out = append(out, fmt.Sprintf("pages: %d ≠ %d", len(ref), len(cand)))
	}
	for i := range min(len(ref), len(cand)) {
		d := comparePage(ref[i], cand[i])
		if len(ref) > 1 {
			for j := range d {
				d[j] = fmt.Sprintf("page %d: %s", i, d[j])
			}
		}
		out = append(out, d...)
	}
	return out
}

func comparePage(r, c page) []string {
	switch {
	case r.ex == nil && c.ex == nil:
		// The SDK refused the input before sending it, on both sides.
		if errString(r.err) != errString(c.err) {
			return []string{fmt.Sprintf("client error: %s ≠ %s", errString(r.err), errString(c.err))}
		}
		return nil
	case r.ex == nil:
		return []string{fmt.Sprintf("request: not sent (%s) ≠ sent", errString(r.err))}
	case c.ex == nil:
		return []string{fmt.Sprintf("request: sent ≠ not sent (%s)", errString(c.err))}
	}
	var out []string
	if r.ex.status != c.ex.status {
		out = append(out, fmt.Sprintf("HTTP status: %d ≠ %d", r.ex.status, c.ex.status))
	}
	out = append(out, diff(r.doc, c.doc)...)
	if (r.err == nil) != (c.err == nil) && len(out) == 0 {
		// Same document, yet the SDK accepted one and not the other (a
		// bad checksum header, say).
		out = append(out, fmt.Sprintf("SDK result: %s ≠ %s", errString(r.err), errString(c.err)))
	}
	return out
}

func errString(err error) string {
	if err == nil {
		return "success"
	}
	return err.Error()
}

// testCase is a named sequence of steps. Its steps are built with the
// table names of one run, which are the same on both backends.
type testCase struct {
	name  string
	steps func(n *names) []step
}

// names hands out table names for one case: unique per run, so that cases
// never meet on the shared reference server, and equal on both backends.
type names struct {
	t      testing.TB
	tables map[string]string
	order  []string
}

func newNames(t testing.TB) *names { return &names{t: t, tables: map[string]string{}} }

// table returns the run's name for base.
func (n *names) table(base string) string {
	if name, ok := n.tables[base]; ok {
		return name
	}
	name := testbackend.TableName(n.t, base)
	n.tables[base] = name
	n.order = append(n.order, name)
	return name
}

// pair is the reference and the candidate of one run.
type pair struct {
	ref, cand *target
	report    *report
}

// runCase runs c step by step on both backends and reports every
// difference: on t, with the step, the call and both answers, and in the
// run's summary.
func (p pair) runCase(t *testing.T, c testCase) {
	t.Helper()
	n := newNames(t)
	steps := c.steps(n)
	t.Cleanup(func() { p.dropTables(n.order) })
	ctx := context.Background()
	var refPrev, candPrev any
	for i, st := range steps {
		refPages := st.run(ctx, p.ref, refPrev)
		candPages := st.run(ctx, p.cand, candPrev)
		refPrev, candPrev = lastOutput(refPages), lastOutput(candPages)
		p.compare(t, fmt.Sprintf("step %d", i), st, refPages, candPages)
	}
}

// compare compares one step's pages and records the outcome.
func (p pair) compare(t *testing.T, where string, st step, refPages, candPages []page) {
	t.Helper()
	op := opName(refPages[0].in)
	diffs := comparePages(refPages, candPages)
	if len(diffs) == 0 {
		p.report.identical(op)
		return
	}
	if name, d, ok := taggingAnswer(st, refPages, candPages); ok {
		if len(d) == 0 {
			p.report.excepted(op, name)
			return
		}
		diffs = d
	}
	if name, d, ok := transactionCapacity(st, refPages, candPages, diffs); ok {
		if len(d) == 0 {
			p.report.excepted(op, name)
			return
		}
		diffs = d
	}
	if name, ok := longNameOnly(refPages, candPages); ok {
		p.report.excepted(op, name)
		return
	}
	if op == "Scan" {
		if name, ok := scanOrderOnly(refPages, candPages); ok {
			p.report.excepted(op, name)
			return
		}
	}
	input := requestSummary(refPages[0])
	p.report.different(op, diffs, input, refPages, candPages)
	t.Errorf("%s: %s differs\ncall: %s\ndifferences (DynamoDB Local ≠ %s):\n  %s\nDynamoDB Local answered:\n  %s\n%s answered:\n  %s",
		where, op, input, p.cand.name, strings.Join(diffs, "\n  "),
		answer(refPages), p.cand.name, answer(candPages))
}

func lastOutput(pages []page) any {
	last := pages[len(pages)-1]
	if last.err != nil {
		return nil
	}
	return last.out
}

// requestSummary is the call as sent, as compact JSON.
func requestSummary(p page) string {
	if p.ex != nil {
		return truncate(render(normalize(p.ex.request)), 600)
	}
	return fmt.Sprintf("%s (not sent: %v)", opName(p.in), p.err)
}

// answer renders what a backend answered to a step, page by page.
func answer(pages []page) string {
	var b strings.Builder
	for i, p := range pages {
		if i > 0 {
			b.WriteString("\n  --- page " + fmt.Sprint(i) + "\n  ")
		}
		switch {
		case p.ex == nil:
			b.WriteString("(not sent) " + errString(p.err))
		default:
			fmt.Fprintf(&b, "HTTP %d %s", p.ex.status, renderIndent(p.doc))
		}
		if i == 20 {
			fmt.Fprintf(&b, "\n  … %d more pages", len(pages)-i-1)
			break
		}
	}
	return b.String()
}

// dropTables deletes the case's tables on both backends. Errors are
// ignored: a table the case deleted itself, or never created, is gone.
func (p pair) dropTables(tables []string) {
	ctx := context.Background()
	for _, tg := range []*target{p.ref, p.cand} {
		for _, name := range tables {
			_, err := tg.client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
			var inUse interface{ ErrorCode() string }
			if errors.As(err, &inUse) && inUse.ErrorCode() == "ResourceInUseException" {
				// A table still being created or updated: try once more.
				tg.client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
			}
		}
	}
}
