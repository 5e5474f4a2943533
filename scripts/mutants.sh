#!/usr/bin/env bash
# Mutation testing of the middleware and the macro: how many mutants of a
# source file the test suites catch.
#
#   scripts/mutants.sh FILE... [-- CARGO-MUTANTS-ARGS...]
#
#   scripts/mutants.sh cors-runtime/src/aware.rs
#   scripts/mutants.sh cors-macros/src/valid.rs cors-macros/src/lower.rs
#   scripts/mutants.sh cors-runtime/src/sets.rs -- --list
#   SUITES="around corners" scripts/mutants.sh cors-runtime/src/registry.rs -- -F 'preflight_route'
#
# All FILEs belong to one crate, `cors-runtime` or `cors-macros`. Needs
# `cargo install cargo-mutants --locked` (27.1 or later).
#
# Why a scratch copy: cargo-mutants runs only the mutated package's own tests
# (it ignores `--test-package` and `--test-workspace` for this workspace), and
# the suites that exercise both crates live in the root package `route-cors`.
# So, in a copy of the tree, the suites chosen for the FILEs (and
# `tests/common/`, and for the macro the UI suite with `tests/ui/`) are copied
# into the mutated crate's `tests/`, the root package's dev-dependencies are
# added to that crate, and cargo-mutants runs in place there with
# `--cargo-test-arg=--test=SUITE` for each suite and `--lib` for the crate's
# own unit tests. `route-cors` is a path dev-dependency of both crates, so the
# suites link the mutated crate. The working tree is never touched.
#
# Environment:
#   SUITES            the suites to run, space-separated (default: by file, below)
#   UI_CASES          with the `ui` suite: only these cases, e.g. "fail/x.rs pass/y.rs"
#   MUTANTS_SCRATCH   the copy of the tree (default: /tmp/route-cors-mutants)
#   MUTANTS_TARGET    its own target dir, never the shared one
#                     (default: $MUTANTS_SCRATCH-target)
#   MUTANTS_OUT       where `mutants.out/` goes (default: $MUTANTS_SCRATCH-out/LABEL,
#                     LABEL being the files' names joined by `+`)
#   MUTANTS_NICE      niceness of the whole run (default: 19)
# In place, cargo-mutants tests one mutant at a time. A test run gets at least
# 60 s before it counts as a timeout (the machine may be busy).
set -euo pipefail

# The whole script is one function, read before it runs: editing the file
# during a long run does not change the run.
main() {
root="$(cd "$(dirname "$0")/.." && pwd)"

files=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do
    files+=("$1")
    shift
done
[ "${1:-}" = "--" ] && shift
if [ ${#files[@]} -eq 0 ]; then
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
fi

# The suites that exercise each file. A file's unit tests (`--lib`) always run.
runtime_middleware="around guards defaults corners routing aware_concurrency registry_edges diagnostics"
suites_for() {
    case "$1" in
        cors-runtime/src/aware.rs | cors-runtime/src/registry.rs | cors-runtime/src/mark.rs)
            echo "$runtime_middleware" ;;
        cors-runtime/src/default.rs)
            echo "$runtime_middleware behaviour" ;;
        cors-runtime/src/middleware.rs | cors-runtime/src/guard.rs)
            echo "$runtime_middleware behaviour decoration preflight_edges timing adversarial" ;;
        cors-runtime/src/sets.rs | cors-runtime/src/sets/* | cors-runtime/src/config.rs | cors-runtime/src/source.rs)
            echo "origin_sets any_origin_sets replace_origins startup_origins origin_limits origin_syntax origin_properties lookalikes named_policy diagnostics" ;;
        cors-runtime/src/*)
            echo "behaviour decoration preflight_edges timing adversarial properties" ;;
        cors-macros/src/*)
            echo "ui behaviour named_policy named_credentials name_rules routing timing decoration preflight_edges origin_syntax diagnostics hygiene key_lists" ;;
        *)
            echo "mutants.sh: $1 is not a file of cors-runtime or cors-macros" >&2
            exit 2 ;;
    esac
}

crate=""
label=""
declare -A chosen=()
for f in "${files[@]}"; do
    f="${f#./}"
    [ -f "$root/$f" ] || { echo "mutants.sh: no such file: $f" >&2; exit 2; }
    this="${f%%/*}"
    if [ -n "$crate" ] && [ "$crate" != "$this" ]; then
        echo "mutants.sh: give files of one crate per run ($crate, $this)" >&2
        exit 2
    fi
    crate="$this"
    name="$(basename "$f" .rs)"
    label="${label:+$label+}$name"
    for s in $(suites_for "$f"); do chosen[$s]=1; done
done
if [ -n "${SUITES:-}" ]; then
    chosen=()
    for s in $SUITES; do chosen[$s]=1; done
fi
suites=$(printf '%s\n' "${!chosen[@]}" | sort)

scratch="${MUTANTS_SCRATCH:-/tmp/route-cors-mutants}"
target="${MUTANTS_TARGET:-$scratch-target}"
out="${MUTANTS_OUT:-$scratch-out/$label}"
mkdir -p "$scratch" "$target" "$out"

# 1. The copy, built in a staging dir: the tree without build output...
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
tar -C "$root" --exclude=./target --exclude=./.git --exclude=./fuzz/target \
    --exclude=./cors-runtime/tests --exclude=./cors-macros/tests -cf - . | tar -C "$stage" -xf -

# 2. ...the chosen suites, and what they include, in the mutated crate's tests/...
# Every directory of tests/ but the browser suite's: suites include files from
# each other's (`lookalikes.rs` from `adversarial/`).
mkdir -p "$stage/$crate/tests"
for d in "$root"/tests/*/; do
    d="$(basename "$d")"
    [ "$d" = browser ] || cp -a "$root/tests/$d" "$stage/$crate/tests/"
done
for s in $suites; do
    [ -f "$root/tests/$s.rs" ] || { echo "mutants.sh: no suite tests/$s.rs" >&2; exit 2; }
    cp -a "$root/tests/$s.rs" "$stage/$crate/tests/"
done

# `UI_CASES="fail/a.rs fail/b.rs"`: the UI suite runs only these cases, for
# a second look at survivors (the whole suite takes minutes per mutant).
if [ -n "${UI_CASES:-}" ] && [ -f "$stage/$crate/tests/ui.rs" ]; then
    {
        echo '#[test]'
        echo 'fn ui() {'
        echo '    let t = trybuild::TestCases::new();'
        for c in $UI_CASES; do
            case "$c" in
                pass/*) echo "    t.pass(\"tests/ui/$c\");" ;;
                *) echo "    t.compile_fail(\"tests/ui/$c\");" ;;
            esac
        done
        echo '}'
    } >"$stage/$crate/tests/ui.rs"
fi

# The UI suite, run from cors-macros, sees the other crates of the workspace
# from one level down: trybuild writes their paths as `$WORKSPACE/..`.
if [ "$crate" = cors-macros ] && [ -d "$stage/$crate/tests/ui" ]; then
    find "$stage/$crate/tests/ui" -name '*.stderr' -exec \
        sed -i -E 's#^( *(-->|:::) )(cors-runtime|cors-macros|src)/#\1$WORKSPACE/\3/#' {} +
fi

# 3. ...and both crates with the root package's dev-dependencies (the same
# text on every run). `route-cors` comes by path, `actix-web` with the
# features the suites use.
dev_deps() {
    sed -n '/^\[dev-dependencies\]/,/^\[/p' "$root/Cargo.toml" |
        grep -v '^\[' | grep -v '^actix-web ='
}
for c in cors-runtime cors-macros; do
    # The crate's own manifest without its dev-dependencies table.
    awk '/^\[dev-dependencies\]/{skip=1; next} /^\[/{skip=0} !skip' "$root/$c/Cargo.toml" >"$stage/$c/Cargo.toml"
    {
        echo
        echo "# Added by scripts/mutants.sh: the root package's test dependencies."
        echo "[dev-dependencies]"
        echo 'route-cors = { path = "..", features = ["test-util"] }'
        echo 'actix-web = { workspace = true, features = ["macros", "cookies"] }'
        dev_deps
    } >>"$stage/$c/Cargo.toml"
done

# The staging dir goes into the scratch copy by content: a file that differs
# (or a file an interrupted run left mutated) is rewritten, with a new
# modification time, and cargo rebuilds only what changed since the last run.
(cd "$stage" && find . -type f) | while IFS= read -r f; do
    if ! cmp -s "$stage/$f" "$scratch/$f"; then
        mkdir -p "$(dirname "$scratch/$f")"
        cp "$stage/$f" "$scratch/$f"
    fi
done
(cd "$scratch" && find . -type f) | while IFS= read -r f; do
    [ -e "$stage/$f" ] || rm -f "$scratch/$f"
done

# 4. The run.
args=(mutants -p "$crate" --in-place --no-shuffle --minimum-test-timeout 60 -o "$out" --cargo-test-arg=--lib)
for f in "${files[@]}"; do args+=(-f "${f#./}"); done
for s in $suites; do args+=("--cargo-test-arg=--test=$s"); done
args+=("$@")

echo "== mutants of ${files[*]}"
echo "== suites: --lib" $suites
echo "== copy: $scratch, target: $target, results: $out/mutants.out"
cd "$scratch"
export CARGO_TARGET_DIR="$target"
# Every dependency is already in Cargo.lock.
export CARGO_NET_OFFLINE=true
status=0
nice -n "${MUTANTS_NICE:-19}" cargo "${args[@]}" || status=$?
# cargo-mutants exits 2 when mutants were missed, 3 on timeouts: report them.
if [ -f "$out/mutants.out/outcomes.json" ]; then
    for kind in caught missed unviable timeout; do
        n=$(wc -l <"$out/mutants.out/$kind.txt" 2>/dev/null || echo 0)
        printf '%-9s %s\n' "$kind" "$n"
    done
    if [ -s "$out/mutants.out/missed.txt" ]; then
        echo "== missed:"
        cat "$out/mutants.out/missed.txt"
    fi
fi
exit "$status"
}

main "$@"
