#!/usr/bin/env bash
# Builds ddbsql, loads the sample tables into its embedded engine (a data
# directory under .demo/, nothing else to install or start) and runs a few
# sample queries. Go on querying with the command the script prints.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null || { echo "demo: go is required" >&2; exit 2; }
mkdir -p bin
go build -o bin/ddbsql ./cmd/ddbsql

dir="${DDBSQL_DEMO_DIR:-.demo}"
bin/ddbsql --local "$dir" --sample --echo \
  -c "SELECT userId, name, email, roles FROM Users WHERE userId IN ('u001', 'u002', 'u003')" \
  -c "SELECT orderStatus, COUNT(*) AS orders, SUM(totalAmount) AS total FROM Orders WHERE customerId = 'u001' GROUP BY orderStatus ORDER BY orderStatus" \
  -c "EXPLAIN SELECT orderId, totalAmount FROM Orders WHERE orderStatus = 'PENDING' AND createdAt >= '2024-01-01'"
echo >&2
echo "Query it yourself:  bin/ddbsql --local $dir" >&2
