#!/usr/bin/env bash
# Runs the production topology on this machine, every part its own process on loopback:
# PostgreSQL (membership, grain state, reminders), two control-plane silos, a host agent with
# simulated hosts and the HTTP API.
#
#   bash deploy/cluster.sh start    # build, create/upgrade the database, start everything
#   bash deploy/cluster.sh status   # which processes run
#   bash deploy/cluster.sh stop     # graceful stop (SIGTERM) of every process
#
# State lives in PostgreSQL (database "orleanscloud"): stop and start again and tenants, VMs,
# tasks and quota are still there. Logs and pids go to .oc/cluster/; the admin password and the
# token key are generated once into .oc/cluster/secrets.env, the cluster's development CA and
# certificates (mutual TLS, deploy/certs.sh) into .oc/certs/ (both git-ignored).
#
# For benchmarks (deploy/bench-http.sh): OC_CLUSTER_DATABASE (default orleanscloud), OC_CLUSTER_SILOS
# (1 or 2 control-plane silos, default 2), OC_CLUSTER_DIR (default .oc/cluster) and
# OC_CLUSTER_NO_BUILD=1 (skip the build). Every other variable in the environment reaches every
# process, e.g. HostAgent__Simulated__Latency=00:00:00.
set -euo pipefail
cd "$(dirname "$0")/.."

dir=${OC_CLUSTER_DIR:-.oc/cluster}
database=${OC_CLUSTER_DATABASE:-orleanscloud}
silos=${OC_CLUSTER_SILOS:-2}
mkdir -p "$dir"
names=(silo-a silo-b agent api)

running() { [ -s "$dir/$1.pid" ] && kill -0 "$(cat "$dir/$1.pid")" 2>/dev/null; }

start_one() {
  local name=$1 dll=$2; shift 2
  if running "$name"; then
    echo "$name already running (pid $(cat "$dir/$name.pid"))"
    return
  fi
  # Supervised: a process that fails (e.g. a silo the cluster declared dead) is started again.
  env "$@" nohup bash deploy/supervise.sh "$dll" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
  echo "$name started (pid $!, log $dir/$name.log)"
}

wait_http() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "timed out waiting for $1" >&2
  return 1
}

case "${1:-}" in
  start)
    [ "${OC_CLUSTER_NO_BUILD:-0}" = 1 ] || dotnet build OrleansCloud.sln -c Release -nologo -v quiet
    connection=$(bash deploy/db.sh --database "$database" --quiet)
    if [ ! -s "$dir/secrets.env" ]; then
      umask 077
      {
        echo "OC_ADMIN_PASSWORD=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
        echo "OC_JWT_KEY=$(head -c 32 /dev/urandom | base64)"
      } >"$dir/secrets.env"
    fi
    # shellcheck disable=SC1091
    . "$dir/secrets.env"
    # Mutual TLS between every process: a development CA and one certificate per process kind.
    certs=$(bash deploy/certs.sh .oc/certs silo agent api)
    bin() { echo "src/$1/bin/Release/net10.0/OrleansCloud.$1.dll"; }
    tls() { echo "Orleans__Tls__CertificatePath=$certs/$1.pfx"; }
    common=(Orleans__Storage=Postgres "Orleans__ConnectionString=$connection" Orleans__ClusterId=orleanscloud Orleans__ServiceId=orleanscloud
      "Orleans__Tls__CaPath=$certs/ca.pem" "Orleans__Tls__CertificatePassword=$(cat "$certs/password")"
      # Four .NET processes share this machine's cores: workstation GC, unless the environment says
      # otherwise. Server GC (the ASP.NET default, right for a silo alone on its machine) gives each
      # process a heap and a GC thread per core, and they contend: on 2 cores it cost 15% more CPU per
      # vm.create (BENCHMARKS.md).
      "DOTNET_gcServer=${DOTNET_gcServer:-0}")
    start_one silo-a "$(bin Silo)" "${common[@]}" "$(tls silo)" Silo__Role=ControlPlane Orleans__SiloPort=11111 Orleans__GatewayPort=30000 urls=http://127.0.0.1:5081
    wait_http http://127.0.0.1:5081/healthz
    [ "$silos" = 1 ] || start_one silo-b "$(bin Silo)" "${common[@]}" "$(tls silo)" Silo__Role=ControlPlane Orleans__SiloPort=11121 Orleans__GatewayPort=30010 urls=http://127.0.0.1:5082
    # The simulated hypervisors keep their VMs across agent restarts, as real ones do.
    start_one agent "$(bin HostAgent)" "${common[@]}" "$(tls agent)" "HostAgent__Simulated__StatePath=${HostAgent__Simulated__StatePath-$dir/simulated-hosts.json}" Orleans__SiloPort=11131 Orleans__GatewayPort=0
    start_one api "$(bin Api)" "${common[@]}" "$(tls api)" OC_ADMIN_USER=admin "OC_ADMIN_PASSWORD=$OC_ADMIN_PASSWORD" "OC_JWT_KEY=$OC_JWT_KEY" urls=http://127.0.0.1:5080
    # /healthz answers as soon as the API listens; /readyz once its Orleans client has connected.
    wait_http http://127.0.0.1:5080/readyz
    cat <<INFO

OrleansCloud cluster is up (PostgreSQL database $database, $silos control-plane silo(s)).
  API          http://127.0.0.1:5080/api/v1   (OpenAPI /openapi/v1.json, UI /scalar)
  Dashboards   http://127.0.0.1:5081/dashboard/  http://127.0.0.1:5082/dashboard/   (loopback only)
  Cluster TLS  $certs (CA, certificates; mutual TLS between every process)
  Log in       admin / $OC_ADMIN_PASSWORD
  Logs         $dir/*.log
INFO
    ;;
  stop)
    for name in api agent silo-b silo-a; do
      if running "$name"; then
        kill -TERM "$(cat "$dir/$name.pid")"
        for _ in $(seq 1 60); do running "$name" || break; sleep 0.5; done
        running "$name" && { pkill -KILL -P "$(cat "$dir/$name.pid")"; kill -KILL "$(cat "$dir/$name.pid")"; }
        echo "$name stopped"
      fi
      rm -f "$dir/$name.pid"
    done
    ;;
  status)
    for name in "${names[@]}"; do
      if running "$name"; then echo "$name running (pid $(cat "$dir/$name.pid"))"; else echo "$name stopped"; fi
    done
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
