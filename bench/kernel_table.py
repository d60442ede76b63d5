#!/usr/bin/env python3
"""Turns kernel_bench's JSON output into the tables of docs/performance.md.

    build/bench/kernel_bench --benchmark_repetitions=3 \
        --benchmark_enable_random_interleaving=true --benchmark_min_time=0.2 \
        --benchmark_report_aggregates_only=true \
        --benchmark_out=kb.json --benchmark_out_format=json
    python3 bench/kernel_table.py kb.json [more.json ...]

Later files override earlier ones for the same benchmark.
"""
import json
import sys

SIZES = [100, 10000, 1000000]
NS3 = ["map", "heap", "calendar", "list", "priority_queue"]


def load(paths):
    runs = {}
    for path in paths:
        load_one(path, runs)
    return runs


def load_one(path, runs):
    for b in json.load(open(path))["benchmarks"]:
        if b.get("aggregate_name") != "median":
            continue
        name = b["run_name"]  # e.g. m2msim/radix_heap/100
        runs[name] = (b["events/s"], b["bytes/pending"])


def fmt_rate(v):
    return "—" if v is None else f"{v / 1e6:.2f}"


def table(runs, ours, suffix):
    head = ["pending", f"m2msim {ours}"] + [f"ns-3 {s}" for s in NS3] + ["best ns-3", "ratio"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for n in SIZES:
        mine = runs.get(f"m2msim/{ours}{suffix}/{n}")
        row = [f"10^{len(str(n)) - 1}", fmt_rate(mine[0] if mine else None)]
        best = None
        for s in NS3:
            r = runs.get(f"ns3/{s}{suffix}/{n}")
            row.append(fmt_rate(r[0] if r else None))
            if r and (best is None or r[0] > best[0]):
                best = (r[0], s)
        row.append(f"{fmt_rate(best[0])} ({best[1]})" if best else "—")
        row.append(f"{mine[0] / best[0]:.1f}×" if mine and best else "—")
        print("| " + " | ".join(row) + " |")
    print()


def memory(runs, names):
    print("| queue | " + " | ".join(f"10^{len(str(n)) - 1}" for n in SIZES) + " |")
    print("|---|" + "---|" * len(SIZES))
    for name in names:
        cells = []
        for n in SIZES:
            r = runs.get(f"{name}/{n}")
            cells.append("—" if r is None else f"{r[1]:.0f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print()


def alternatives(runs):
    names = sorted({k.rsplit("/", 1)[0] for k in runs if k.startswith("m2msim/") and "/cancel" not in k})
    print("| m2msim queue | " + " | ".join(f"10^{len(str(n)) - 1}" for n in SIZES) + " |")
    print("|---|" + "---|" * len(SIZES))
    for name in names:
        cells = [fmt_rate(runs[f"{name}/{n}"][0]) if f"{name}/{n}" in runs else "—" for n in SIZES]
        print(f"| {name.split('/', 1)[1]} | " + " | ".join(cells) + " |")
    print()


def main():
    runs = load(sys.argv[1:])
    print("### Hold model, events/s (millions)\n")
    table(runs, "radix_heap", "")
    print("### Hold with cancel, events/s (millions)\n")
    table(runs, "radix_heap", "/cancel")
    print("### m2msim's candidate queues, hold model, events/s (millions)\n")
    alternatives(runs)
    print("### Bytes per pending event (live heap bytes ÷ pending)\n")
    memory(runs, ["m2msim/radix_heap", "m2msim/radix_heap/cancel"] + [f"ns3/{s}" for s in NS3] +
           [f"ns3/{s}/cancel" for s in NS3])


if __name__ == "__main__":
    main()
