// Package clienttest drives ddbsql's PostgreSQL wire-protocol server with
// real PostgreSQL clients, each with its own implementation of the
// protocol where one exists: psql and pgbench (libpq), pgjdbc, psycopg2
// and psycopg 3 (libpq), asyncpg and node-postgres. The Go drivers (pgx,
// lib/pq) are tested in package pgwire itself.
//
// Each test starts a server on a loopback port over every backend of
// internal/testbackend, loaded with the sample data, logs in over
// SCRAM-SHA-256 and runs a client program from testdata: psql scripts,
// JdbcClient.java (compiled with javac), psycopg2_client.py,
// psycopg3_client.py and asyncpg_client.py (under Debian's
// /usr/bin/python3), node_client.js and a pgbench script. The programs
// print one JSON object per line, which the tests compare exactly with
// what the sample data implies; psql and pgbench are judged by their own
// output and exit status.
//
// The clients come from Debian packages (postgresql-client,
// libpostgresql-jdbc-java, python3-psycopg2, python3-psycopg,
// python3-asyncpg) and npm (pg, in the repository's package.json); the
// project's test command installs them. A missing client skips its test,
// or fails it under DDBSQL_REQUIRE_BACKENDS=1.
package clienttest
