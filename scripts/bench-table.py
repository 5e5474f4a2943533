#!/usr/bin/env python3
"""Prints the benchmark tables of BENCHMARKS.md from the last runs of
`cargo bench -p route-cors-benches --bench instructions` (callgrind counts)
and `cargo bench -p route-cors-benches --bench time` (criterion medians), found under the cargo target directory.

Usage: python3 scripts/bench-table.py [TARGET_DIR]
(default: $CARGO_TARGET_DIR, else ./target)
"""
import json
import os
import re
import sys

target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CARGO_TARGET_DIR", "target")

SCENARIOS = [
    "get_allowed", "get_disallowed", "get_no_origin", "get_any_origin",
    "preflight_allowed", "preflight_rejected",
    "origins_1", "origins_10", "origins_1000", "origins_pattern",
    "acrh_1mib_commas", "acrh_10k_names",
]
VARIANTS = [("floor", "floor"), ("cors", "route-cors"), ("actix", "actix-cors")]
DESIGNS = ["bare", "combined", "separate"]


def instructions(group, bench, case):
    d = os.path.join(target, "gungraun", "route-cors-benches", "instructions", group, f"{bench}.{case}")
    try:
        for name in os.listdir(d):
            if name.endswith(".out") and name.startswith("callgrind."):
                with open(os.path.join(d, name)) as f:
                    for line in f:
                        if line.startswith("summary:"):
                            return int(line.split()[1])
    except FileNotFoundError:
        pass
    return None


def median_ns(group, case):
    p = os.path.join(target, "criterion", group, case, "new", "estimates.json")
    try:
        with open(p) as f:
            return json.load(f)["median"]["point_estimate"]
    except FileNotFoundError:
        return None


def fmt(v, unit=""):
    if v is None:
        return "–"
    if isinstance(v, float):
        return f"{v:,.0f}{unit}"
    return f"{v:,}{unit}"


def ratio(a, b):
    return "–" if a is None or b is None or b == 0 else f"{a / b:.2f}×"


def over(a, floor):
    return None if a is None or floor is None else a - floor


def share(ours, theirs, floor):
    o, t = over(ours, floor), over(theirs, floor)
    if o is None or t is None or t <= 0:
        return "–"
    return f"{o / t:.2f}"


print("### Instructions per request (callgrind)\n")
print("| scenario | floor | route-cors | actix-cors | route-cors − floor | actix-cors − floor "
      "| route-cors / floor | overhead route-cors / actix-cors |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for s in SCENARIOS:
    f, c, a = (instructions("scenarios", "scenario", f"{s}_{v}") for v, _ in VARIANTS)
    print(f"| {s} | {fmt(f)} | {fmt(c)} | {fmt(a)} | {fmt(over(c, f))} | {fmt(over(a, f))} "
          f"| {ratio(c, f)} | {share(c, a, f)} |")

print("\n### Median time per request (criterion, ns)\n")
print("| scenario | floor | route-cors | actix-cors | route-cors / floor | actix-cors / floor |")
print("|---|---:|---:|---:|---:|---:|")
for s in SCENARIOS:
    f, c, a = (median_ns(s, name) for _, name in VARIANTS)
    print(f"| {s} | {fmt(f)} | {fmt(c)} | {fmt(a)} | {ratio(c, f)} | {ratio(a, f)} |")

print("\n### Routing scale: the last of N routes\n")
print("| N, request | instr. bare | instr. combined | instr. separate | combined / bare "
      "| separate / bare | ns bare | ns combined | ns separate | combined / bare | separate / bare |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for n in (10, 100, 500):
    for kind in ("get", "preflight"):
        i = [instructions("routing_group", "routing_scale", f"routing_{n}_{kind}_{d}") for d in DESIGNS]
        t = [median_ns(f"routing_{n}_{kind}", d) for d in DESIGNS]
        print(f"| {n}, {kind} | {fmt(i[0])} | {fmt(i[1])} | {fmt(i[2])} | {ratio(i[1], i[0])} "
              f"| {ratio(i[2], i[0])} | {fmt(t[0])} | {fmt(t[1])} | {fmt(t[2])} "
              f"| {ratio(t[1], t[0])} | {ratio(t[2], t[0])} |")
