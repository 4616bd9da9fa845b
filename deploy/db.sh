#!/usr/bin/env bash
# Creates (or updates) an OrleansCloud PostgreSQL database on this machine, idempotently:
# installs PostgreSQL when missing, starts its cluster (loopback only), creates the role and the
# database, and applies deploy/sql/*.sql in order. Safe to run any number of times.
#
#   bash deploy/db.sh                     # database "orleanscloud"
#   bash deploy/db.sh --database oc_test  # another database (tests use their own)
#   bash deploy/db.sh --recreate ...      # drop the database first (tests: a clean slate)
#   bash deploy/db.sh --drop --database X # drop a database and stop there
#
# The role's password is generated on first use and kept in .oc/postgres.env (git-ignored, mode
# 600); the script prints the connection string to use as OC_POSTGRES / Cluster:ConnectionString.
set -euo pipefail
# This script makes its own connections: whatever PG* variables the caller exported (a benchmark
# points them at the database this script may be asked to drop) must not redirect them.
unset PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD PGSERVICE
cd "$(dirname "$0")/.."

database=orleanscloud
recreate=0
drop=0
quiet=0
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database="$2"; shift 2 ;;
    --recreate) recreate=1; shift ;;
    --drop) drop=1; shift ;;
    --quiet) quiet=1; shift ;;
    *) echo "usage: $0 [--database NAME] [--recreate | --drop] [--quiet]" >&2; exit 2 ;;
  esac
done
if ! [[ "$database" =~ ^[a-z_][a-z0-9_]{0,62}$ ]]; then
  echo "database name must be a lower-case identifier" >&2; exit 2
fi

log() { [ "$quiet" = 1 ] || printf '==> %s\n' "$*" >&2; }
role=orleanscloud
export PGOPTIONS="-c client_min_messages=warning"
port=${OC_PG_PORT:-5432}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  log "installing PostgreSQL"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi

version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main"' | grep -q .; then
  log "creating cluster $version/main"
  pg_createcluster "$version" main --port "$port" >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" && $4 == "online"' | grep -q .; then
  log "starting PostgreSQL $version on 127.0.0.1:$port"
  pg_ctlcluster "$version" main start -o "-c listen_addresses=127.0.0.1 -c port=$port"
fi
for _ in $(seq 1 50); do
  su postgres -c "psql -p $port -d postgres -Atqc 'select 1'" >/dev/null 2>&1 && break
  sleep 0.2
done

mkdir -p .oc
if [ ! -s .oc/postgres.env ]; then
  umask 077
  printf 'OC_PG_PASSWORD=%s\n' "$(head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 32)" > .oc/postgres.env
fi
# shellcheck disable=SC1091
. .oc/postgres.env

psql_admin() { su postgres -c "psql -p $port -d postgres -v ON_ERROR_STOP=1 -Atq $*"; }

log "role $role"
# Only when the role cannot log in with the kept password yet: altering a role is needless work
# (and may be refused) on a server where it is already set up.
PGPASSWORD=$OC_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U "$role" -d postgres -Atqc 'SELECT 1' >/dev/null 2>&1 \
  || su postgres -c "psql -p $port -d postgres -v ON_ERROR_STOP=1 -Atq" <<SQL >/dev/null
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$OC_PG_PASSWORD';
  ELSE
    ALTER ROLE $role LOGIN PASSWORD '$OC_PG_PASSWORD';
  END IF;
END
\$\$;
SQL

if [ "$drop" = 1 ]; then
  log "dropping database $database"
  psql_admin "-c 'DROP DATABASE IF EXISTS $database WITH (FORCE)'" >/dev/null
  exit 0
fi
if [ "$recreate" = 1 ]; then
  log "dropping database $database"
  psql_admin "-c 'DROP DATABASE IF EXISTS $database WITH (FORCE)'" >/dev/null
fi
if [ -z "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$database'\"")" ]; then
  log "creating database $database"
  psql_admin "-c 'CREATE DATABASE $database OWNER $role'" >/dev/null
fi

log "applying deploy/sql to $database"
for file in deploy/sql/*.sql; do
  PGPASSWORD=$OC_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U "$role" -d "$database" \
    -v ON_ERROR_STOP=1 -q -f "$file" >/dev/null
  PGPASSWORD=$OC_PG_PASSWORD psql -h 127.0.0.1 -p "$port" -U "$role" -d "$database" -v ON_ERROR_STOP=1 -q \
    -c "INSERT INTO oc_schema_file (file_name) VALUES ('$(basename "$file")') ON CONFLICT (file_name) DO UPDATE SET applied_at = now()" >/dev/null
done

echo "Host=127.0.0.1;Port=$port;Database=$database;Username=$role;Password=$OC_PG_PASSWORD"
