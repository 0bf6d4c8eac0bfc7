#!/usr/bin/env bash
# Sourced by .ci/run (and usable by hand, as root): PostgreSQL from Debian's packages for the app
# database's PostgreSQL tests. Installs it if missing, starts the default cluster, creates the test
# database and exports REFERRALS_TEST_DATABASE_URL, which test/support/app-db.ts reads.
set -euo pipefail
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PG_VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"
if ! pg_lsclusters -h | grep -q "^${PG_VERSION} main"; then
  pg_createcluster "$PG_VERSION" main >/dev/null
fi
pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  su postgres -c "pg_isready -q" && break
  sleep 1
done
su postgres -c "psql -q -c \"alter user postgres password 'referrals-test'\""
su postgres -c "psql -tAc \"select 1 from pg_database where datname = 'referrals_test'\"" | grep -q 1 \
  || su postgres -c "createdb referrals_test"
export REFERRALS_TEST_DATABASE_URL="postgres://postgres:referrals-test@127.0.0.1:5432/referrals_test"
echo "PostgreSQL ${PG_VERSION} ready for the app database tests"
