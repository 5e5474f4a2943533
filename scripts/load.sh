#!/usr/bin/env bash
# Bounded load test of the demo API on loopback, with wrk. Not part of CI.
#
#   scripts/load.sh                      # 2 runs of 20 s, 32 connections, 2 wrk threads
#   DURATION=60s CONNECTIONS=64 RUNS=3 scripts/load.sh
#
# It builds and starts the demo (`-p route-cors-demo`, release) on OS-chosen 127.0.0.1
# ports, drives the API with a mix of preflights and actual requests (allowed
# and rejected), and for each run prints requests/s, socket errors, non-2xx
# responses, a per-response header check done inside wrk, exact-header samples
# taken with curl while wrk runs, and the server's RSS before and after.
# Traffic goes to 127.0.0.1 only; the server is stopped when the script ends.
# Needs `wrk` (Debian: apt-get install -y wrk) and `curl`.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
RUNS=${RUNS:-2}
SAMPLES=${SAMPLES:-30}

for tool in wrk curl; do
    command -v "$tool" >/dev/null || { echo "error: \`$tool\` is missing (apt-get install -y $tool)" >&2; exit 1; }
done

cargo build --quiet --release -p route-cors-demo
bin="${CARGO_TARGET_DIR:-target}/release/demo"

work=$(mktemp -d)
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# `warn`: no access log; rejection lines stay off, as in production.
RUST_LOG=warn "$bin" --api-port 0 --page-port 0 >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
api_port=""
for _ in $(seq 1 100); do
    api_port=$(sed -n 's|^  API:  http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$work/server.out")
    [ -n "$api_port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.err" >&2; exit 1; }
    sleep 0.1
done
page_port=$(sed -n 's|^  page: http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/server.out")
[ -n "$api_port" ] && [ -n "$page_port" ] || { echo "error: the demo did not start" >&2; exit 1; }
api="http://127.0.0.1:$api_port"
page="http://127.0.0.1:$page_port"
echo "demo API $api (pid $server_pid), page origin $page"

rss() { awk '/^VmRSS:/ { print $2 " kB" }' "/proc/$server_pid/status"; }

# --- the request mix, and a header check of every response, inside wrk ----
cat >"$work/mix.lua" <<'LUA'
-- Requests are taken round-robin from this list; each response is checked
-- against what its status means for the demo's policies.
local page = nil
local reqs = {}
counts = { ["204"] = 0, ["403"] = 0, ["200"] = 0, ["201"] = 0, bad = 0 }

function init(args)
  page = args[1]
  local pre = function(path, method, headers)
    local h = { ["Origin"] = page, ["Access-Control-Request-Method"] = method }
    if headers then h["Access-Control-Request-Headers"] = headers end
    return wrk.format("OPTIONS", path, h)
  end
  reqs = {
    pre("/notes", "POST", "content-type"),                  -- 204
    pre("/notes/7", "PUT", "content-type"),                 -- 204
    wrk.format("POST", "/notes", { ["Origin"] = page, ["Content-Type"] = "application/json" }, '{"text":"hi"}'), -- 201
    wrk.format("GET", "/public", { ["Origin"] = "https://elsewhere.example" }), -- 200 *
    pre("/reports", "DELETE"),                              -- 403: origin not allowed
    pre("/notes", "POST", "x-not-allowed"),                 -- 403: header not allowed
    wrk.format("GET", "/partners", { ["Origin"] = page }),  -- 200 without ACAO
  }
  i = 0
end

function request()
  i = i % #reqs + 1
  return reqs[i]
end

function response(status, headers, body)
  local acao = headers["access-control-allow-origin"]
  local ok
  if status == 204 then
    ok = acao == page and headers["access-control-allow-methods"] ~= nil
      and headers["access-control-allow-credentials"] == nil
  elseif status == 403 then
    ok = acao == nil and headers["access-control-allow-methods"] == nil and body == ""
  elseif status == 201 then
    ok = acao == page and headers["access-control-expose-headers"] == "location"
  elseif status == 200 then
    ok = acao == nil or acao == "*"
  else
    ok = false
  end
  local key = tostring(status)
  if ok and counts[key] ~= nil then counts[key] = counts[key] + 1 else counts.bad = counts.bad + 1 end
end

local threads = {}
function setup(thread) table.insert(threads, thread) end

function done(summary, latency, requests)
  local total = { ["204"] = 0, ["403"] = 0, ["200"] = 0, ["201"] = 0, bad = 0 }
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do total[k] = total[k] + v end
  end
  io.write(string.format("checked in wrk: 204=%d 403=%d 200=%d 201=%d bad=%d\n",
    total["204"], total["403"], total["200"], total["201"], total.bad))
end
LUA

# --- exact-header samples with curl ------------------------------------------
# Prints "STATUS header: value | ..." with the access-control-* and vary lines,
# names lower-cased and sorted.
shape() {
    curl -s -o /dev/null -D - --max-time 5 "$@" | tr -d '\r' | awk '
        NR == 1 { status = $2; next }
        {
            i = index($0, ":"); name = tolower(substr($0, 1, i - 1)); value = substr($0, i + 2)
            if (name ~ /^access-control-/ || name == "vary") print name ": " value
        }
        END { print "~" status }' | sort | paste -sd'|' -
}

expect() {
    local want="$1"; shift
    local got
    got=$(shape "$@")
    if [ "$got" = "$want" ]; then echo ok; else echo "MISMATCH: want [$want] got [$got] for $*"; fi
}

preflight_vary="vary: Origin, Access-Control-Request-Method, Access-Control-Request-Headers"
sample_once() {
    expect "access-control-allow-headers: content-type|access-control-allow-methods: POST|access-control-allow-origin: $page|access-control-max-age: 600|$preflight_vary|~204" \
        -X OPTIONS "$api/notes" -H "Origin: $page" -H "Access-Control-Request-Method: POST" -H "Access-Control-Request-Headers: content-type"
    expect "access-control-allow-headers: content-type|access-control-allow-methods: PUT|access-control-allow-origin: $page|$preflight_vary|~204" \
        -X OPTIONS "$api/notes/7" -H "Origin: $page" -H "Access-Control-Request-Method: PUT" -H "Access-Control-Request-Headers: content-type"
    expect "access-control-allow-origin: $page|access-control-expose-headers: location|vary: Origin|~201" \
        -X POST "$api/notes" -H "Origin: $page" -H "Content-Type: application/json" --data '{"text":"hi"}'
    expect "access-control-allow-origin: *|access-control-expose-headers: x-served-by|~200" \
        "$api/public" -H "Origin: https://elsewhere.example"
    expect "~403" -X OPTIONS "$api/reports" -H "Origin: $page" -H "Access-Control-Request-Method: DELETE"
    expect "~403" -X OPTIONS "$api/notes" -H "Origin: $page" -H "Access-Control-Request-Method: POST" -H "Access-Control-Request-Headers: x-not-allowed"
    expect "vary: Origin|~200" "$api/partners" -H "Origin: $page"
    expect "vary: Origin|~200" "$api/partners" -H "Origin: https://partner.example.com.evil.net"
}

# Warm up (and fail fast if the headers are wrong before any load).
warm=$(sample_once)
if echo "$warm" | grep -q MISMATCH; then echo "$warm" >&2; exit 1; fi

for run in $(seq 1 "$RUNS"); do
    before=$(rss)
    # Samples taken while wrk runs: SAMPLES rounds of 8 requests.
    (
        sleep 1
        for _ in $(seq 1 "$SAMPLES"); do sample_once; done
    ) >"$work/samples" &
    sampler=$!
    wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 5s --latency \
        -s "$work/mix.lua" "$api" -- "$page" >"$work/wrk.out"
    wait "$sampler"
    after=$(rss)
    ok=$(grep -c '^ok$' "$work/samples" || true)
    bad=$(grep -c '^MISMATCH' "$work/samples" || true)
    echo "== run $run: $DURATION, $CONNECTIONS connections, $THREADS wrk threads"
    grep -E 'requests in|Requests/sec|Socket errors|Non-2xx|Latency |  50%|  99%' "$work/wrk.out" | sed 's/^/   /'
    grep -q 'Socket errors' "$work/wrk.out" || echo "   Socket errors: none"
    grep '^checked in wrk' "$work/wrk.out" | sed 's/^/   /'
    echo "   curl samples under load: $ok exact, $bad mismatched"
    grep '^MISMATCH' "$work/samples" | head -5 | sed 's/^/   /' || true
    echo "   server RSS: before $before, after $after"
done
