#!/usr/bin/env bash
# Runs every test of the project: installs the test servers (npm ci) and the
# PostgreSQL clients the wire-protocol tests drive (apt-get, when missing), checks
# that everything builds and vets, and runs `go test ./...` inside a private
# network namespace whose only interface is loopback, where the tests start
# DynamoDB Local, dynalite and ddbsql's own engine (`ddbsql local`)
# themselves (see internal/testbackend).
#
#   scripts/test.sh                 # all tests
#   scripts/test.sh -run Lifecycle -v
#
# Extra arguments go to `go test`, after ./... (a package path given there is
# tested besides ./..., so narrow a run with -run). The exit status is go
# test's.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# step announces a stage; done_step prints how long it took.
step_start=$SECONDS
step() {
	printf '==> %s\n' "$*" >&2
	step_start=$SECONDS
}
done_step() { printf '    (%ds)\n' $((SECONDS - step_start)) >&2; }
fail() { printf 'scripts/test.sh: %s\n' "$*" >&2; exit 1; }

need() {
	command -v "$1" >/dev/null 2>&1 || fail "'$1' not found: $2"
}
need go "install Go (the version in go.mod)"
need node "install Node.js, 20 or newer"
need npm "install npm (it comes with Node.js)"
need java "install a Java runtime, 17 or newer (Debian: openjdk-17-jre-headless)"
need unshare "install util-linux"
# ip often lives in /usr/sbin, which an ordinary user's PATH may lack.
IP_CMD=$(command -v ip || true)
for candidate in /usr/sbin/ip /sbin/ip; do
	[[ -n $IP_CMD ]] && break
	[[ -x $candidate ]] && IP_CMD=$candidate
done
[[ -n $IP_CMD ]] || fail "'ip' not found: install iproute2"

# The wire-protocol tests (pgwire/clienttest) run real PostgreSQL clients:
# psql and pgbench, pgjdbc (compiled with javac), psycopg2, psycopg 3 and
# asyncpg under Debian's /usr/bin/python3 (another python3 on PATH may lack
# them), and node-postgres (npm, below). The Debian packages missing here
# are installed, which needs root; `apt-get update` runs only then.
client_packages=()
have_python_module() { [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c "import $1" >/dev/null 2>&1; }
{ command -v psql && command -v pgbench; } >/dev/null 2>&1 || client_packages+=(postgresql-client)
command -v javac >/dev/null 2>&1 || client_packages+=(openjdk-17-jdk-headless)
[[ -f /usr/share/java/postgresql.jar ]] || client_packages+=(libpostgresql-jdbc-java)
have_python_module psycopg2 || client_packages+=(python3-psycopg2)
have_python_module psycopg || client_packages+=(python3-psycopg)
have_python_module asyncpg || client_packages+=(python3-asyncpg)
if ((${#client_packages[@]} > 0)); then
	command -v apt-get >/dev/null 2>&1 ||
		fail "PostgreSQL clients missing and no apt-get to install them: install the equivalents of the Debian packages ${client_packages[*]}"
	[[ $(id -u) -eq 0 ]] ||
		fail "PostgreSQL clients missing: run as root, or first: sudo apt-get install -y ${client_packages[*]}"
	step "apt-get install ${client_packages[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${client_packages[@]}"
	done_step
fi

# The servers' npm packages: installed again only when the lockfile changed.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
	step "npm ci"
	npm ci --no-audit --no-fund --engine-strict=false --loglevel=error
	done_step
fi

step "go mod download"
go mod download
done_step

step "go build and go vet"
go build ./...
go vet ./...
done_step

# Compile every test binary now, while modules can still be fetched; inside
# the namespace there is no network.
step "compile tests"
compile_log=$(mktemp)
trap 'rm -f "$compile_log"' EXIT
if ! go test -count=1 -run '^$' ./... >"$compile_log" 2>&1; then
	cat "$compile_log" >&2
	fail "the tests do not compile"
fi
done_step

if [[ $(id -u) -eq 0 ]]; then
	unshare_flags=-n
else
	unshare_flags=-rn
fi
unshare "$unshare_flags" true 2>/dev/null ||
	fail "'unshare $unshare_flags' failed: the tests need a private network namespace (unprivileged user namespaces must be enabled for a non-root user)"

# The engine backend runs `ddbsql local`: build it once for every package.
step "build ddbsql for the engine backend"
bin_dir=$(mktemp -d)
trap 'rm -rf "$bin_dir"' EXIT
go build -o "$bin_dir/ddbsql" ./cmd/ddbsql
export DDBSQL_BIN="$bin_dir/ddbsql"
done_step

step "go test in a private network namespace"
rm -f "$compile_log"
export GOFLAGS="${GOFLAGS:+$GOFLAGS }-mod=mod" GOPROXY=off DDBSQL_REQUIRE_BACKENDS=1 IP_CMD
unshare "$unshare_flags" -- bash -c '
	set -euo pipefail
	"$IP_CMD" link set lo up
	exec go test -count=1 -timeout 30m ./... "$@"
' scripts/test.sh "$@"
