#!/usr/bin/env bash
# Starts a local DynamoDB-compatible server (dynalite, in memory, on
# 127.0.0.1), loads the sample tables and runs a few sample queries.
# The server keeps running so you can go on querying it; the script prints
# how to reach it and how to stop it.
set -euo pipefail
cd "$(dirname "$0")/.."

port="${DDBSQL_DEMO_PORT:-8000}"
endpoint="http://127.0.0.1:${port}"

for tool in go node npm; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is required" >&2; exit 2; }
done
if [ ! -d node_modules/dynalite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
mkdir -p bin
go build -o bin/ddbsql ./cmd/ddbsql

if ! curl -s -o /dev/null "$endpoint" 2>/dev/null; then
  node node_modules/dynalite/cli.js --host 127.0.0.1 --port "$port" \
    --createTableMs 0 --deleteTableMs 0 --updateTableMs 0 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "$endpoint" && break
    sleep 0.1
  done
  echo "dynalite is listening on $endpoint (pid $pid; stop it with: kill $pid)" >&2
fi

export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-local}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-local}"
bin/ddbsql sample --endpoint "$endpoint" --region us-east-1
bin/ddbsql --endpoint "$endpoint" --region us-east-1 --echo \
  -c "SELECT userId, name, email, roles FROM Users WHERE userId IN ('u001', 'u002', 'u003')" \
  -c "SELECT orderStatus, COUNT(*) AS orders, SUM(totalAmount) AS total FROM Orders WHERE customerId = 'u001' GROUP BY orderStatus ORDER BY orderStatus" \
  -c "EXPLAIN SELECT orderId, totalAmount FROM Orders WHERE orderStatus = 'PENDING' AND createdAt >= '2024-01-01'"
echo >&2
echo "Query it yourself:  bin/ddbsql --endpoint $endpoint --region us-east-1 -c 'SHOW TABLES'" >&2
