package conformance

import (
	"flag"
	"fmt"
	"net/http"
	"testing"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

var (
	seedFlag      = flag.Uint64("seed", defaultSeed, "seed of the random sequences (0: a new one each run, printed)")
	longFlag      = flag.Bool("long", false, "run many more random steps")
	candidateFlag = flag.String("candidate", "engine", `backend compared with DynamoDB Local: "engine" or "dynalite"`)
	findingsFlag  = flag.String("findings", "", "write the differences found to this Markdown file")
)

func TestMain(m *testing.M) { testbackend.Main(m) }

// candidates open the backend compared with DynamoDB Local, fresh for each
// case. dynalite is there to check the suite itself: it is known to differ.
var candidates = map[string]func(t *testing.T) *target{
	testbackend.Dynalite: func(t *testing.T) *target {
		b := testbackend.Get(t, testbackend.Dynalite)
		return newTarget(b.Name, b.Endpoint, loopbackHTTPClient())
	},
}

// reference returns DynamoDB Local. It is shared by all cases; each case
// uses tables of its own and drops them at its end.
func reference(t *testing.T) *target {
	b := testbackend.Get(t, testbackend.DynamoDBLocal)
	return newTarget(b.Name, b.Endpoint, loopbackHTTPClient())
}

// loopbackHTTPClient is an SDK HTTP client that ignores proxy settings.
func loopbackHTTPClient() httpDoer {
	return awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) { tr.Proxy = nil })
}

// caseGroup is a set of hand-written cases about one area of the API.
type caseGroup struct {
	name  string
	cases []testCase
}

func groups() []caseGroup {
	return []caseGroup{
		{"tables", tableCases()},
		{"items", itemCases()},
		{"expressions", expressionCases()},
		{"query", queryCases()},
		{"scan", scanCases()},
		{"batch", batchCases()},
		{"transactions", transactionCases()},
		{"limits", limitCases()},
	}
}

// TestConformance runs every case against DynamoDB Local and the candidate
// and prints the run's summary.
func TestConformance(t *testing.T) {
	ref := reference(t)
	open, ok := candidates[*candidateFlag]
	if !ok {
		t.Fatalf("unknown -candidate %q", *candidateFlag)
	}
	summary := newReport(*candidateFlag)
	t.Cleanup(func() {
		fmt.Print(summary.String())
		if *findingsFlag != "" {
			if err := summary.writeFindings(*findingsFlag); err != nil {
				t.Error(err)
			}
		}
	})
	for _, g := range groups() {
		t.Run(g.name, func(t *testing.T) {
			for _, c := range g.cases {
				t.Run(c.name, func(t *testing.T) {
					pair{ref: ref, cand: open(t), report: summary}.runCase(t, c)
				})
			}
		})
	}
	t.Run("random", func(t *testing.T) {
		runRandom(t, ref, open, summary)
	})
}
