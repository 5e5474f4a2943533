#!/usr/bin/env bash
# Build cost of #[cors]: generates two crates with N handlers (default 200), one
# with `#[cors(..)]` above each `#[get]` and one with bare `#[get]`, and builds
# both from clean in the same run, in the same target directory (dependencies
# are built once first, so the times are those of the handler crates alone).
# Not part of CI.
#
# Usage: scripts/build-cost.sh [N] [ROUNDS]      (from anywhere)
# Env:   PROFILE=dev|release (default dev), WORK=dir (default a temp dir)
set -euo pipefail

n="${1:-200}"
rounds="${2:-3}"
profile="${PROFILE:-dev}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-$(mktemp -d)}"
mkdir -p "$work"
unset CARGO_TARGET_DIR
export CARGO_INCREMENTAL=0

cat > "$work/Cargo.toml" <<EOF
[workspace]
members = ["cors_app", "bare_app"]
resolver = "2"
EOF

gen() { # name attribute-line
    local name="$1" attr="$2" dir="$work/$1"
    mkdir -p "$dir/src"
    cat > "$dir/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
route-cors = { path = "$repo" }
actix-web = { version = "4.18", default-features = false, features = ["macros"] }
EOF
    {
        echo "//! $n handlers."
        echo "#![allow(unused_imports)]"
        echo "use actix_web::{get, web::ServiceConfig, HttpResponse};"
        echo "use route_cors::cors;"
        for i in $(seq 0 $((n - 1))); do
            [ -n "$attr" ] && echo "$attr"
            echo "#[get(\"/api/v1/items$i\")]"
            echo "async fn h$i() -> HttpResponse { HttpResponse::Ok().finish() }"
        done
        echo "/// Registers every handler."
        echo "pub fn configure(cfg: &mut ServiceConfig) {"
        for i in $(seq 0 $((n - 1))); do echo "    cfg.service(h$i);"; done
        echo "}"
    } > "$dir/src/lib.rs"
}

gen cors_app '#[cors(origins = ["https://app.example.com"], headers = ["content-type"])]'
gen bare_app ''

cd "$work"
echo "== building dependencies once ($profile profile) in $work"
cargo build --profile "$profile" --workspace -q 2>&1 | tail -5

secs() { # crate -> seconds of a clean build of that crate alone
    cargo clean --profile "$profile" -p "$1" -q 2>/dev/null || cargo clean --profile "$profile" -p "$1"
    local t0 t1
    t0=$(date +%s.%N)
    cargo build --profile "$profile" -p "$1" -q
    t1=$(date +%s.%N)
    echo "$t1 - $t0" | bc
}

best_cors=""; best_bare=""
for r in $(seq 1 "$rounds"); do
    b=$(secs bare_app); c=$(secs cors_app)
    echo "round $r: bare ${b}s, cors ${c}s"
    if [ -z "$best_bare" ] || (( $(echo "$b < $best_bare" | bc) )); then best_bare=$b; fi
    if [ -z "$best_cors" ] || (( $(echo "$c < $best_cors" | bc) )); then best_cors=$c; fi
done
printf "best of %s: bare %.2fs, #[cors] %.2fs, ratio %.2fx (%s handlers, %s profile)\n" \
    "$rounds" "$best_bare" "$best_cors" "$(echo "$best_cors / $best_bare" | bc -l)" "$n" "$profile"
