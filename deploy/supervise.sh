#!/usr/bin/env bash
# Runs one OrleansCloud process and starts it again when it fails, as systemd's Restart=on-failure
# would: an Orleans silo that the cluster declares dead (its probes timed out, e.g. on a starved
# machine) ends itself by design and counts on its supervisor. SIGTERM stops the process and the loop.
# usage: deploy/supervise.sh <path to the .dll>
set -u
child=""
stopping=0
trap 'stopping=1; [ -n "$child" ] && kill -TERM "$child" 2>/dev/null' TERM INT
while [ "$stopping" = 0 ]; do
  dotnet "$1" &
  child=$!
  wait "$child"
  code=$?
  if [ "$stopping" = 1 ]; then
    wait "$child" 2>/dev/null
    exit 0
  fi
  [ "$code" = 0 ] && exit 0
  echo "--- supervise: exited with code $code; starting it again in 2 s"
  sleep 2
done
exit 0
