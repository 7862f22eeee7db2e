#!/usr/bin/env bash
# Starts Debian's PostgreSQL (apt-get install postgresql) and makes the test role and database. Idempotent.
# Prints the store URL for the tests: export NONLINEAR_TEST_POSTGRES=$(bash .ci/services/postgres.sh)
set -euo pipefail
ver=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1)
[ -n "$ver" ] || { echo "postgres.sh: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
if ! pg_lsclusters -h 2>/dev/null | grep -q "^$ver main"; then pg_createcluster "$ver" main >&2; fi
pg_ctlcluster "$ver" main start >&2 2>/dev/null || pg_ctlcluster "$ver" main status >/dev/null
for _ in $(seq 1 30); do pg_isready -q && break; sleep 1; done
pg_isready -q || { echo "postgres.sh: the server did not become ready" >&2; exit 1; }
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='nonlinear'\"" | grep -q 1 \
  || su postgres -c "psql -qc \"CREATE ROLE nonlinear LOGIN CREATEDB PASSWORD 'nonlinear'\"" >&2
su postgres -c "psql -qtAc \"SELECT 1 FROM pg_database WHERE datname='nonlinear_test'\"" | grep -q 1 \
  || su postgres -c "createdb -O nonlinear nonlinear_test" >&2
echo "postgres://nonlinear:nonlinear@localhost:5432/nonlinear_test"
