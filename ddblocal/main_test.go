package ddblocal_test

import (
	"testing"

	"github.com/ddbsql/ddbsql/internal/testbackend"
)

// TestMain lets the benchmarks that compare against DynamoDB Local start it
// (inside a private network namespace only; elsewhere they skip).
func TestMain(m *testing.M) { testbackend.Main(m) }
