package conformance

import (
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
)

// report counts the calls compared in a run and groups the differences.
type report struct {
	mu        sync.Mutex
	candidate string
	steps     int
	same      int
	except    map[string]int
	kinds     map[string]*finding
}

// finding is one distinct difference: its kind, the first example and how
// often it occurred.
type finding struct {
	op, kind  string
	input     string
	ref, cand string
	path      string // the first occurrence's difference
	count     int
}

// newReport starts the report of a run against candidate.
func newReport(candidate string) *report {
	return &report{candidate: candidate, except: map[string]int{}, kinds: map[string]*finding{}}
}

func (r *report) identical(op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps++
	r.same++
}

func (r *report) excepted(op, name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps++
	r.except[name]++
}

func (r *report) different(op string, paths []string, input string, ref, cand []page) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.steps++
	seen := map[string]bool{}
	for _, p := range paths {
		// "page 3: Items…" groups with "Items…".
		if _, rest, ok := strings.Cut(p, ": "); ok && strings.HasPrefix(p, "page ") {
			p = rest
		}
		key := findingKey(op, p)
		if seen[key] {
			continue
		}
		seen[key] = true
		f := r.kinds[key]
		if f == nil {
			f = &finding{op: op, kind: key, input: input, ref: firstAnswer(ref), cand: firstAnswer(cand), path: p}
			r.kinds[key] = f
		}
		f.count++
	}
}

// tableSuffix is the random part of the table names of a run.
var tableSuffix = regexp.MustCompile(`_[a-z0-9]{8}\b`)

// findingKey is what makes a difference distinct: its kind, and for an
// error's name, message or status also the reference's value, so that
// each wrong message is a finding of its own.
func findingKey(op, path string) string {
	k := kindOf(op, path)
	field := strings.TrimPrefix(k, op+" ")
	switch field {
	case "message", "__type", "HTTP status", "client error", "request", "SDK result":
		_, values, _ := strings.Cut(path, ": ")
		return k + ": " + tableSuffix.ReplaceAllString(values, "_…")
	}
	return k
}

// firstAnswer is a backend's answer to the first page, compact.
func firstAnswer(pages []page) string {
	p := pages[0]
	if p.ex == nil {
		return "(not sent) " + errString(p.err)
	}
	return fmt.Sprintf("HTTP %d %s", p.ex.status, truncate(render(p.doc), 400))
}

// sorted returns the findings, most frequent first.
func (r *report) sorted() []*finding {
	fs := make([]*finding, 0, len(r.kinds))
	for _, f := range r.kinds {
		fs = append(fs, f)
	}
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].count != fs[j].count {
			return fs[i].count > fs[j].count
		}
		return fs[i].kind < fs[j].kind
	})
	return fs
}

// String is the run's summary as the test prints it.
func (r *report) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "conformance: %d steps compared against DynamoDB Local (candidate %s): %d identical, ", r.steps, r.candidate, r.same)
	excepted := 0
	for _, n := range r.except {
		excepted += n
	}
	fmt.Fprintf(&b, "%d under a listed exception, %d different\n", excepted, r.steps-r.same-excepted)
	for _, name := range sortedKeys(r.except) {
		fmt.Fprintf(&b, "  exception %s: %d steps\n", name, r.except[name])
	}
	for _, f := range r.sorted() {
		fmt.Fprintf(&b, "  ×%d %s\n", f.count, truncate(f.kind, 300))
	}
	return b.String()
}

// writeFindings writes the differences as Markdown, one line each.
func (r *report) writeFindings(path string) error {
	summaryText := r.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "# ddblocal conformance findings\n\nEach line is one distinct difference: the operation, how many steps showed it, the differing field (DynamoDB Local ≠ %[1]s), the first call that showed it, DynamoDB Local's answer and the %[1]s's answer.\n\n```\n%[2]s```\n\n", r.candidate, summaryText)
	for _, f := range r.sorted() {
		fmt.Fprintf(&b, "- **%s** ×%d `%s` — call: `%s` — DynamoDB Local: `%s` — %s: `%s`\n",
			f.op, f.count, f.path, f.input, f.ref, r.candidate, f.cand)
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
