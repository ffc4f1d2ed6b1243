#!/usr/bin/env bash
# The README's first command as a newcomer runs it: `pnpm start` with no DATABASE_URL and a fresh
# DATA_DIR, then the README's curl with the demo key it prints; Ctrl-C must leave no process behind.
set -euo pipefail
cd "$(dirname "$0")/.."

data_dir=$(mktemp -d)   # mode 700: the embedded PostgreSQL (user postgres when root) must still get in
log="$data_dir.log"
port=${SMOKE_PORT:-4000}
pnpm_pid=
# Processes started for this smoke test: they all carry its DATA_DIR in their environment.
survivors() { grep -lsz "^DATA_DIR=$data_dir\$" /proc/[0-9]*/environ | cut -d/ -f3 || true; }
cleanup() {
  if [ -n "$pnpm_pid" ] && kill -0 "$pnpm_pid" 2>/dev/null; then kill -TERM "$pnpm_pid" || true; fi
  rm -rf "$data_dir" "$log"
}
trap cleanup EXIT

env -u DATABASE_URL DATA_DIR="$data_dir" PORT="$port" PORTAL_PORT="${SMOKE_PORTAL_PORT:-3000}" \
  PUBLIC_URL="http://localhost:$port" pnpm start >"$log" 2>&1 &
pnpm_pid=$!

for _ in $(seq 1 360); do
  grep -q 'Handoff is running' "$log" && break
  kill -0 "$pnpm_pid" 2>/dev/null || { cat "$log"; echo 'pnpm start exited before it was running'; exit 1; }
  sleep 0.5
done
grep -q 'Handoff is running' "$log" || { cat "$log"; echo 'pnpm start was not running within 3 minutes'; exit 1; }
key=$(grep -oE 'Demo API key +hk_[A-Za-z0-9_-]+' "$log" | awk '{print $4}' || true)
[ -n "$key" ] || { cat "$log"; echo 'pnpm start printed no demo API key'; exit 1; }

# The README's curl, as printed there (only the key filled in); the banner means it answers at once.
answer=$(curl -s "http://localhost:$port/graphql" -H 'content-type: application/json' -H "authorization: Bearer $key" \
  -d '{"query":"{ viewer { name } orders(first: 5) { edges { node { number status } } } }"}')
echo "$answer" | grep -q '"name":"Demo Digital Store"' || { echo "unexpected answer: $answer"; exit 1; }

# Ctrl-C reaches pnpm; nothing started under this DATA_DIR may survive it.
kill -INT "$pnpm_pid"
for _ in $(seq 1 120); do
  [ -z "$(survivors)" ] && break
  sleep 0.5
done
left=$(survivors)
if [ -n "$left" ]; then ps -o pid,args -p "$(echo $left | tr ' ' ,)"; echo 'processes survived pnpm start'; exit 1; fi
echo 'pnpm start smoke: running, README query answered, stopped cleanly'
