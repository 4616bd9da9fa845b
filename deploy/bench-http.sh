#!/usr/bin/env bash
# The benchmark users can trust: vm.create over the real HTTP API (tests/HttpLoad), against
#   1. the all-in-one (in-memory cluster and storage),
#   2. the PostgreSQL topology with one control-plane silo (plus the agent and the API),
#   3. the same with two control-plane silos,
# and, in the same run, PostgreSQL's own guarded-update rate on this machine (pgbench, 64 clients,
# UPDATE ... WHERE used + 1 <= limit), the ceiling any quota check on this database has.
# Simulated hosts answer at once, so the figures measure the control plane.
#
#   bash deploy/bench-http.sh [--tasks 2000] [--concurrency 64] [--tenants 16] [--warmup-seconds 60]
#                             [--only aio|pg1|pg2|holds|pgbench]
#
# Each topology first runs the same load for --warmup-seconds (60 by default; 0 for none) and prints
# that cold rate apart: a freshly started .NET process spends its first minute or so compiling (tiered
# JIT and PGO took ~27% of the machine's CPU 6-16 s into a run), so the measured figures are those of
# a control plane that has been running a while, as users meet it.
#
# "holds" is quota holds on TenantGrain with its state on PostgreSQL (tests/Benchmarks --holds-postgres),
# to set beside pgbench's guarded update.
#
# Stop a running deploy/cluster.sh cluster first (the topologies use its ports). Servers bind
# to loopback only; each PostgreSQL topology gets a fresh database (OC_BENCH_DATABASE, default
# orleanscloud_bench). For each PostgreSQL run it also prints what the database did per vm.create
# (the warm-up's tasks counted in): transactions committed (pg_stat_database), rows written and
# index lookups per table (pg_stat_user_tables) and grain-state writes per grain type (the sum of
# the rows' versions, one per write), and the CPU time each process of the topology (silos, agent, API,
# and PostgreSQL's processes together) spent per measured vm.create, from the warm-up's end to the load's
# end: a figure that moves less than the rate when the machine is shared or slower one day than another.
set -euo pipefail
cd "$(dirname "$0")/.."

tasks=2000; concurrency=64; tenants=16; warmup=60; only=""
database=${OC_BENCH_DATABASE:-orleanscloud_bench}
while [ $# -gt 0 ]; do
  case "$1" in
    --tasks) tasks=$2; shift 2 ;;
    --concurrency) concurrency=$2; shift 2 ;;
    --tenants) tenants=$2; shift 2 ;;
    --warmup-seconds) warmup=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) echo "usage: $0 [--tasks N] [--concurrency N] [--tenants N] [--warmup-seconds S] [--only aio|pg1|pg2|holds|pgbench]" >&2; exit 2 ;;
  esac
done

log() { printf '==> %s\n' "$*" >&2; }
want() { [ -z "$only" ] || [ "$only" = "$1" ]; }

# Simulated hosts with room for every VM and no latency: the control plane is what is measured.
export HostAgent__Simulated__Count=8 HostAgent__Simulated__Vcpus=1000000 HostAgent__Simulated__RamMb=1000000000 \
  HostAgent__Simulated__DiskGb=1000000000 HostAgent__Simulated__MaxVms=1000000 HostAgent__Simulated__Latency=00:00:00 \
  HostAgent__Simulated__StatePath=

log "building (Release)"
dotnet build OrleansCloud.sln -c Release -nologo -v quiet >/dev/null
load=tests/HttpLoad/bin/Release/net10.0/OrleansCloud.HttpLoad.dll
results=$(mktemp)
trap 'rm -f "$results" "$results".*' EXIT

run_load() { # label url password [command run once the warm-up has ended]
  : >"$results.log"
  local watcher=""
  if [ -n "${4:-}" ]; then
    ( until grep -q '^  warm-up ' "$results.log" 2>/dev/null; do sleep 0.2; done; $4 ) &
    watcher=$!
  fi
  dotnet "$load" --label "$1" --url "$2" --password "$3" --tasks "$tasks" --concurrency "$concurrency" --tenants "$tenants" \
    --warmup-seconds "$warmup" | tee "$results.log" >(cat >&2) | grep '^RESULT' >>"$results" || true
  if [ -n "$watcher" ]; then kill "$watcher" 2>/dev/null || true; wait "$watcher" 2>/dev/null || true; fi
}

wait_http() {
  for _ in $(seq 1 240); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.5; done
  echo "timed out waiting for $1" >&2; return 1
}

if want aio; then
  log "all-in-one (in memory)"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
  OC_ADMIN_PASSWORD=$password urls=http://127.0.0.1:5380 dotnet src/Silo/bin/Release/net10.0/OrleansCloud.Silo.dll >/tmp/oc-bench-aio.log 2>&1 &
  pid=$!
  wait_http http://127.0.0.1:5380/healthz
  run_load "all-in-one, in memory" http://127.0.0.1:5380 "$password"
  kill -TERM $pid; wait $pid 2>/dev/null || true
fi

use_database() { # points psql and pgbench at the benchmark database
  local connection
  connection=$(bash deploy/db.sh --database "$database" --quiet "$@")
  field() { printf '%s' "$connection" | tr ';' '\n' | sed -n "s/^$1=//p"; }
  export PGHOST=$(field Host) PGPORT=$(field Port) PGDATABASE=$(field Database) PGUSER=$(field Username) PGPASSWORD=$(field Password)
}

# What PostgreSQL has done so far in this database: one "name value" line per counter. Read after
# the cluster has stopped, so every backend has flushed its statistics.
pg_counters() {
  psql -Atq -F ' ' -c "SELECT 'transactions', xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()
    UNION ALL SELECT 'rows-written ' || relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables
    UNION ALL SELECT 'lookups ' || relname, coalesce(idx_scan, 0) + coalesce(seq_scan, 0) FROM pg_stat_user_tables
    UNION ALL SELECT 'state-writes ' || regexp_replace(grain_type, '^.*[.,]', ''), sum(version) FROM oc_grain_state GROUP BY grain_type"
}

# Prints the per-vm.create difference between two pg_counters snapshots, largest first.
per_create() { # before-file after-file creates
  awk -v n="$3" 'NR == FNR { k = $1 " " $2; before[k] = $NF; next }
    { k = $1 " " $2; d = $NF - before[k]; if (d > 0) printf "%-14s %-40s %8.2f\n", $1, ($1 == "transactions" ? "" : $2), d / n }' "$1" "$2" \
    | sort -k1,1 -k3,3nr
}

# CPU time so far, in clock ticks, of each process the cluster runs (the dotnet child of each supervisor
# in $OC_CLUSTER_DIR/*.pid) and of PostgreSQL (every postgres process): one "name ticks" line each.
cpu_ticks() {
  local pidfile child
  for pidfile in "$OC_CLUSTER_DIR"/*.pid; do
    child=$(pgrep -P "$(cat "$pidfile")" | head -1) || continue
    [ -r "/proc/$child/stat" ] && printf '%s %s\n' "$(basename "$pidfile" .pid)" "$(sed 's/^.*) //' "/proc/$child/stat" | awk '{ print $12 + $13 }')"
  done
  pgrep -x postgres | while read -r pid; do sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }'; done \
    | awk '{ t += $1 } END { printf "postgres %d\n", t }'
}

cpu_warm() { cpu_ticks >"$results.cpu-before.tmp" && mv "$results.cpu-before.tmp" "$results.cpu-before"; }

for silos in 1 2; do
  want "pg$silos" || continue
  log "PostgreSQL topology, $silos control-plane silo(s)"
  export OC_CLUSTER_DIR=.oc/bench OC_CLUSTER_DATABASE=$database OC_CLUSTER_SILOS=$silos OC_CLUSTER_NO_BUILD=1
  use_database --recreate
  pg_counters >"$results.before"
  bash deploy/cluster.sh start >&2
  # shellcheck disable=SC1091
  . .oc/bench/secrets.env
  rm -f "$results.cpu-before"
  run_load "PostgreSQL, $silos control-plane silo(s) + agent + API" http://127.0.0.1:5080 "$OC_ADMIN_PASSWORD" cpu_warm
  cpu_ticks >"$results.cpu-after"
  bash deploy/cluster.sh stop >&2
  pg_counters >"$results.after"
  warmed=$(tail -1 "$results" | grep -oE ' warmup_tasks=[0-9]+' | cut -d= -f2)
  creates=$((tasks + ${warmed:-0}))
  echo "== PostgreSQL per vm.create, $silos silo(s) ($creates vm.create incl. warm-up; setup and shutdown counted in)" >&2
  per_create "$results.before" "$results.after" "$creates" | tee "$results.pg$silos" >&2
  # CPU per vm.create over the measured tasks: from the warm-up's end to the load's end.
  echo "== CPU per vm.create, $silos silo(s) (ms of one core, over the $tasks measured vm.create, the warm-up not counted)" >&2
  cpu=""
  if [ -s "$results.cpu-before" ]; then
    awk -v n="$tasks" -v hz="$(getconf CLK_TCK)" 'NR == FNR { before[$1] = $2; next }
      { ms = ($2 - before[$1]) * 1000 / hz / n; total += ms; printf "cpu            %-40s %8.2f\n", $1, ms }
      END { printf "cpu            %-40s %8.2f\n", "all", total }' "$results.cpu-before" "$results.cpu-after" | tee "$results.cpu" >&2
    cpu=$(awk '$2 == "all" { print $3 }' "$results.cpu")
  else echo "(no warm-up: not measured)" >&2; fi
  tx=$(awk '$1 == "transactions" { print $2 }' "$results.pg$silos")
  sed -i "\$s/\$/ tx_per_create=$tx cpu_ms_per_create=${cpu:-n\/a}/" "$results"
done

holds_rate=""
if want holds; then
  log "quota holds on TenantGrain, state on PostgreSQL"
  holds_db=$(bash deploy/db.sh --database orleanscloud_bench_holds --recreate --quiet)
  holds_rate=$(dotnet tests/Benchmarks/bin/Release/net10.0/OrleansCloud.Benchmarks.dll --holds-postgres "$holds_db" \
    | tee >(cat >&2) | sed -nE 's/^RESULT holds_per_s=([0-9]+).*/\1/p')
  bash deploy/db.sh --database orleanscloud_bench_holds --drop --quiet >/dev/null
fi

pg_rate=""
if want pgbench; then
  log "PostgreSQL's own guarded update (pgbench, $concurrency clients, 10 s)"
  use_database
  pgbench=$(ls /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -1)
  psql -q -v ON_ERROR_STOP=1 -c "DROP TABLE IF EXISTS bench_quota; CREATE TABLE bench_quota (id int PRIMARY KEY, used bigint NOT NULL, lim bigint NOT NULL);
    INSERT INTO bench_quota SELECT g, 0, 9223372036854775000 FROM generate_series(1, $tenants) g;"
  script=$(mktemp)
  printf '\\set id random(1, %s)\nUPDATE bench_quota SET used = used + 1 WHERE id = :id AND used + 1 <= lim;\n' "$tenants" >"$script"
  out=$("$pgbench" -n -c "$concurrency" -j 2 -T 10 -f "$script" 2>&1)
  rm -f "$script"
  pg_rate=$(printf '%s\n' "$out" | sed -nE 's/^tps = ([0-9.]+).*/\1/p' | head -1 | cut -d. -f1)
  psql -q -c "DROP TABLE bench_quota;"
  echo "== PostgreSQL guarded update: $pg_rate tx/s ($concurrency clients, $tenants rows)" >&2
fi

echo
echo "| run | accepted/s | completed/s | 202 p50 | 202 p99 | refused | PostgreSQL tx per vm.create | CPU ms per vm.create | cold (warm-up) completed/s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
while read -r line; do
  get() { printf '%s' "$line" | grep -oE " $1=[^ ]+" | cut -d= -f2; }
  label=$(printf '%s' "$line" | sed -nE 's/.*label="([^"]*)".*/\1/p')
  echo "| $label | $(get accepted_per_s) | $(get completed_per_s) | $(get p50_ms) ms | $(get p99_ms) ms | $(get refused) | $(get tx_per_create) | $(get cpu_ms_per_create) | $(get warmup_per_s) |"
done <"$results"
[ -z "$holds_rate" ] || echo "| quota holds on TenantGrain (PostgreSQL, 0 overcommit checked) | $holds_rate holds/s | | | | | | | |"
[ -z "$pg_rate" ] || echo "| PostgreSQL guarded update (pgbench) | $pg_rate tx/s | | | | | | | |"
if [ -n "$holds_rate" ] && [ -n "$pg_rate" ]; then
  echo "| holds / guarded update | $(awk "BEGIN { printf \"%.2f\", $holds_rate / $pg_rate }") | | | | | | | |"
fi
