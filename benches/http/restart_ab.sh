#!/usr/bin/env bash
# A/B runs of server binaries over HTTP: each binary in turn is started on the same SQLite
# database, warmed for 2 s, then measured with wrk for 8 s with 1 connection and 8 s with 4
# (2 threads), rotating over the assignments (rotate.lua); ROUNDS rounds.
#
#   benches/http/restart_ab.sh DB IDS ROUNDS BIN...
#
# DB is a SQLite file holding consultants and assignments (for example the database of a
# `benches/http/load.sh` run, with its cleanup trap removed), IDS a file of assignment ids, one
# per line; the API key is load.sh's. Everything stays on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=$1; IDS=$2; ROUNDS=$3; shift 3
KEY="sm_load_test_key_0123456789abcdefghijklmnop"
PORT="${PORT:-18191}"
for i in $(seq "$ROUNDS"); do
  for B in "$@"; do
    DATABASE_URL="sqlite://$DB?mode=rwc" STAFFMATCH_ADDR="127.0.0.1:$PORT" STAFFMATCH_ADMIN_KEY="$KEY" \
      RUST_LOG=warn STAFFMATCH_RATE_LIMIT_PER_MINUTE=100000000 "$B" serve > /dev/null 2>&1 &
    PID=$!
    for _ in $(seq 1 600); do curl -fs "127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 0.1; done
    run() { IDS="$IDS" KEY="$KEY" wrk "$@" -s benches/http/rotate.lua "http://127.0.0.1:$PORT"; }
    run -t1 -c1 -d2s > /dev/null
    one=$(run -t1 -c1 -d8s --latency | awk '/^ +50%/ {p=$2} /Requests\/sec/ {r=$2} END {print p, r}')
    four=$(run -t2 -c4 -d8s --latency | awk '/^ +50%/ {p=$2} /Requests\/sec/ {r=$2} END {print p, r}')
    echo "round $i $(basename "$B"): 1 connection p50 / req/s $one | 4 connections p50 / req/s $four"
    kill "$PID"; wait "$PID" 2>/dev/null || true
  done
done
