#!/usr/bin/env bash
# Load test over HTTP on loopback: loads N synthetic consultants through the batch endpoint,
# stores 50 assignments, then measures GET /assignments/{id}/matches?limit=20 with wrk
# (1 connection for latency, 4 for throughput), and the index rebuild time on restart.
#
#   apt-get install -y wrk          # once
#   benches/http/load.sh [N=100000] [DURATION=20s]
#   LOAD_ONLY=1 benches/http/load.sh 100000   # stop after the load phase (no wrk, no restart)
#   PORT=18182 benches/http/load.sh            # another port (default 18181; must be free)
#   PG_URL=postgres://postgres@127.0.0.1:5432 benches/http/load.sh   # on PostgreSQL
#   BIN=/tmp/staffmatch-old benches/http/load.sh   # another server binary (A/B runs)
#   KEEP=/tmp/db100k benches/http/load.sh      # keep the SQLite database and the assignment ids
#                                              # (KEEP/load.db, KEEP/ids.txt) for restart_ab.sh
#   RESYNC=1 LOAD_ONLY=1 benches/http/load.sh  # after the load, two full re-syncs as an ATS
#                                              # sends them: every name edited, then the same
#                                              # edited batches again (every item unchanged)
#
# Everything stays on 127.0.0.1. The database is a fresh SQLite file under a temp dir, or with
# PG_URL (a server URL without a database) a fresh PostgreSQL database, dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-100000}"
DURATION="${2:-20s}"
PORT="${PORT:-18181}"
KEY="sm_load_test_key_0123456789abcdefghijklmnop"
WORK="$(mktemp -d)"
PG_URL="${PG_URL:-}"
if [ -n "$PG_URL" ]; then
  PG_DB="staffmatch_load_$$"
  psql -q "$PG_URL/postgres" -c "CREATE DATABASE $PG_DB"
  DB_URL="$PG_URL/$PG_DB"
else
  DB_URL="sqlite://$WORK/load.db?mode=rwc"
fi
cleanup() {
  kill "${PID:-0}" 2>/dev/null && wait "$PID" 2>/dev/null
  if [ -n "${KEEP:-}" ] && [ -z "$PG_URL" ] && [ -f "$WORK/ids.txt" ]; then
    mkdir -p "$KEEP" && cp "$WORK"/load.db* "$WORK/ids.txt" "$KEEP"/ && echo "kept $KEEP/load.db and $KEEP/ids.txt"
  fi
  if [ -n "$PG_URL" ]; then psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS $PG_DB"; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

LOAD_ONLY="${LOAD_ONLY:-0}"
if [ "$LOAD_ONLY" != 1 ]; then
  command -v wrk >/dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 1; }
fi
cargo build --release --quiet --features synth --bin staffmatch --example synth_json
BIN="${BIN:-./target/release/staffmatch}"

echo "== generating $N consultants and 50 assignments"
./target/release/examples/synth_json consultants "$N" > "$WORK/consultants.ndjson"
./target/release/examples/synth_json assignments 50 > "$WORK/assignments.ndjson"
python3 - "$WORK" <<'PY'
import json, sys, os
work = sys.argv[1]
with open(os.path.join(work, "consultants.ndjson")) as f:
    lines = f.readlines()
for i in range(0, len(lines), 1000):
    with open(os.path.join(work, f"batch-{i // 1000:05d}.json"), "w") as out:
        out.write('{"items": [' + ",".join(l.strip() for l in lines[i:i + 1000]) + "]}")
PY

start() {
  # Another server on the port would answer /readyz and take the load (and its writes).
  if curl -s -o /dev/null "127.0.0.1:$PORT/healthz"; then
    echo "127.0.0.1:$PORT is already in use; pick another with PORT=…" >&2; exit 1
  fi
  DATABASE_URL="$DB_URL" STAFFMATCH_ADDR="127.0.0.1:$PORT" STAFFMATCH_ADMIN_KEY="$KEY" \
    RUST_LOG=warn,staffmatch::engine=info STAFFMATCH_RATE_LIMIT_PER_MINUTE=100000000 \
    "$BIN" serve > "$WORK/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 600); do
    kill -0 "$PID" 2>/dev/null || { echo "server exited" >&2; cat "$WORK/server.log" >&2; exit 1; }
    curl -fs "127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return
    sleep 0.1
  done
  echo "server did not become ready" >&2; cat "$WORK/server.log" >&2; exit 1
}

start
echo "== loading through POST /api/v1/consultants/batch (1,000 per request)"
t0=$(date +%s.%N)
for f in "$WORK"/batch-*.json; do
  curl -fs -o /dev/null -X POST "127.0.0.1:$PORT/api/v1/consultants/batch" \
    -H "Authorization: Bearer $KEY" -H 'content-type: application/json' --data-binary "@$f"
done
t1=$(date +%s.%N)
echo "loaded $N consultants in $(echo "$t1 - $t0" | bc) s"
if [ "${RESYNC:-0}" = 1 ]; then
  for f in "$WORK"/batch-*.json; do
    sed 's/"name":"Konsult /"name":"Konsultant /g' "$f" > "${f/batch-/edited-}"
  done
  for pass in changed unchanged; do
    t1=$(date +%s.%N)
    for f in "$WORK"/edited-*.json; do
      curl -fs -X POST "127.0.0.1:$PORT/api/v1/consultants/batch" \
        -H "Authorization: Bearer $KEY" -H 'content-type: application/json' --data-binary "@$f"
      echo
    done > "$WORK/resync.ndjson"
    t2=$(date +%s.%N)
    python3 - "$WORK/resync.ndjson" "$pass" "$(echo "$t2 - $t1" | bc)" <<'PY'
import json, sys
bodies = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
n = {k: sum(b.get(k, 0) for b in bodies) for k in ("created", "updated", "unchanged", "failed")}
print(f"re-sync, {sys.argv[2]}: {n['created']} created, {n['updated']} updated, "
      f"{n['unchanged']} unchanged, {n['failed']} failed in {sys.argv[3]} s")
PY
  done
fi
if [ "$LOAD_ONLY" = 1 ]; then
  curl -fs "127.0.0.1:$PORT/metrics" | grep -E '^staffmatch_index_consultants'
  exit 0
fi

: > "$WORK/ids.txt"
while read -r body; do
  curl -fs -X POST "127.0.0.1:$PORT/api/v1/assignments" -H "Authorization: Bearer $KEY" \
    -H 'content-type: application/json' -d "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' >> "$WORK/ids.txt"
done < "$WORK/assignments.ndjson"
first=$(head -n 1 "$WORK/ids.txt")
echo "eligible per assignment (first 10):"
head -n 10 "$WORK/ids.txt" | while read -r id; do
  curl -fs "127.0.0.1:$PORT/api/v1/assignments/$id/matches?limit=1" -H "Authorization: Bearer $KEY" \
    | python3 -c 'import json,sys; print(" ", json.load(sys.stdin)["total_eligible"])'
done

echo "== wrk, 1 connection, $DURATION"
IDS="$WORK/ids.txt" KEY="$KEY" wrk -t1 -c1 -d"$DURATION" --latency -s benches/http/rotate.lua "http://127.0.0.1:$PORT" | sed -n '1,20p'
echo "== wrk, 4 connections, 2 threads, $DURATION"
IDS="$WORK/ids.txt" KEY="$KEY" wrk -t2 -c4 -d"$DURATION" --latency -s benches/http/rotate.lua "http://127.0.0.1:$PORT" | sed -n '1,20p'

echo "== restart: index rebuild"
kill "$PID"; wait "$PID" 2>/dev/null || true
start
grep -o '"match index loaded".*\|match index loaded.*' "$WORK/server.log" | head -n 1
curl -fs "127.0.0.1:$PORT/metrics" | grep -E '^staffmatch_index_(consultants|bytes)'
