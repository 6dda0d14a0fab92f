#!/usr/bin/python3
"""Turns run-all.sh's JSON lines into a Markdown table with PushChat ÷ Tornado ratios.

Without those two labels, the ratio row divides the first label seen by the second
(or: summarize.py FILE AFTER BEFORE, e.g. epoll unix for a before/after run)."""

import json
import statistics
import sys
from collections import OrderedDict

FIELDS = [
    ("p50 ms", lambda r: r["latency_ms"]["p50"]),
    ("p99 ms", lambda r: r["latency_ms"]["p99"]),
    ("max ms", lambda r: r["latency_ms"]["max"]),
    ("poll resp p99 ms", lambda r: r["poll_response_ms"]["p99"] if r["technique"] == "poll" else None),
    ("msg/s", lambda r: r["delivered_per_s"]),
    ("req/msg", lambda r: r["requests_per_delivered"] if r["delivered"] else None),
    ("bytes/msg", lambda r: r["bytes_per_delivered"] if r["delivered"] else None),
    ("req/s", lambda r: r["requests_per_s"] if not r["messages"] else None),
    ("bytes/s", lambda r: r["bytes_per_s"] if not r["messages"] else None),
    ("CPU s", lambda r: r["server_cpu_s"]),
    ("CPU µs/msg", lambda r: r["server_cpu_us_per_delivered"] if r["delivered"] else None),
    ("bench CPU s", lambda r: r.get("client_cpu_s")),
    ("peak RSS MiB", lambda r: r["rss_peak_kib"] / 1024),
    ("KiB/client", lambda r: r["mem_per_client_kib"]),
    ("lost+err", lambda r: r["undelivered"] + r["errors"] + r["duplicates"]),
]


def fmt(value):
    if value is None:
        return "–"
    if isinstance(value, float):
        if abs(value) >= 100:
            return f"{value:.0f}"
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    return str(value)


def main():
    runs = OrderedDict()
    for line in open(sys.argv[1]):
        r = json.loads(line)
        key = (r["scenario"], r["technique"], r["clients"])
        runs.setdefault(key, {}).setdefault(r["label"], []).append(r)
    print("| scenario | technique | clients | server | " + " | ".join(f for f, _ in FIELDS) + " |")
    print("|" + "---|" * (4 + len(FIELDS)))
    for (scenario, technique, clients), sides in runs.items():
        medians = {}
        for label, rs in sides.items():
            cells = []
            medians[label] = []
            for _, get in FIELDS:
                values = [get(r) for r in rs]
                values = [v for v in values if v is not None]
                if not values:
                    medians[label].append(None)
                    cells.append("–")
                    continue
                med = statistics.median(values)
                medians[label].append(med)
                cell = fmt(med)
                if len(values) > 1:
                    cell += f" ({fmt(min(values))}–{fmt(max(values))})"
                cells.append(cell)
            print(f"| {scenario} | {technique} | {clients} | {label} | " + " | ".join(cells) + " |")
        labels = list(medians)
        pair = ("pushchat", "tornado") if {"pushchat", "tornado"} <= set(labels) else labels[:2]
        if len(sys.argv) == 4:
            pair = (sys.argv[2], sys.argv[3])
        if len(pair) == 2:
            ratios = []
            for a, b in zip(medians[pair[0]], medians[pair[1]]):
                ratios.append(f"{a / b:.2f}×" if a is not None and b else "–")
            print(f"| {scenario} | {technique} | {clients} | **{pair[0]} ÷ {pair[1]}** | " + " | ".join(ratios) + " |")


if __name__ == "__main__":
    main()
