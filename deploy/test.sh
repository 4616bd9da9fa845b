#!/usr/bin/env bash
# The README's test command: installs and starts what the tests need when it is missing, then
# builds and runs every test project. Servers bind to loopback only.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '==> %s\n' "$*"; }

need_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    echo "dotnet (the .NET 10 SDK) is required on PATH" >&2
    exit 1
  fi
}

need_dotnet
# What the integration tests drive for real (each is idempotent; the fixtures call them too):
log "PostgreSQL (deploy/db.sh)"
bash deploy/db.sh --database orleanscloud_test --drop --quiet  # server and role ready; each fixture makes its own database
log "libvirt/KVM and Open vSwitch (deploy/hypervisor.sh)"
bash deploy/hypervisor.sh
log "building (Release)"
dotnet build OrleansCloud.sln -c Release -nologo -v quiet

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
log "running tests"
set +e
dotnet test OrleansCloud.sln -c Release --no-build -nologo \
  --logger "trx" --results-directory "$results" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line summed over every test assembly.
passed=0; failed=0; skipped=0
while read -r f p s; do
  failed=$((failed + f)); passed=$((passed + p)); skipped=$((skipped + s))
done < <(grep -hoE 'Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$results/console.log" \
          | sed -E 's/Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+)/\1 \2 \3/')
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
