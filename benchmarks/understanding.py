"""How much of the corpus of how people type (tests/corpus/) the agent understands, and how fast.

Every conversation is played in a fresh session through the agent's public entry point — the one the
engine's ``run_turn`` calls, ``agent.respond(text, AgentContext)`` — by tests/corpus/_check.py, and
judged on its labels. Printed: the share understood overall, by style and by language (a case counts
once for each of its style tags), and the latency of one ``respond()`` call per turn, p50/p95/max over
every turn of the corpus (``--rounds`` times). The same turns' latency over HTTP is ``benchmarks/agent.py``.

Target (issue 11): ≥ 97 % understood. Run: ``.venv/bin/python benchmarks/understanding.py [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.corpus import _check  # noqa: E402


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def by_group(results: list[_check.CaseResult], key) -> dict[str, tuple[int, int]]:
    """group → (understood, total); ``key`` gives a case's groups."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for result in results:
        for group in key(result.case):
            counts[group][0] += result.passed
            counts[group][1] += 1
    return {g: (ok, n) for g, (ok, n) in sorted(counts.items(), key=lambda kv: (-kv[1][1], kv[0]))}


def table(title: str, rows: dict[str, tuple[int, int]]) -> list[str]:
    lines = [f"| {title} | understood | cases | share |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {ok} | {n} | {ok / n:.1%} |" for name, (ok, n) in rows.items()]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times the corpus is played for the latency")
    args = parser.parse_args()
    cases = _check.load_corpus()
    _check.run_corpus(cases[:20])  # warm-up: imports, compiled patterns
    latencies: list[float] = []
    results: list[_check.CaseResult] = []
    for _round in range(max(1, args.rounds)):
        results = _check.run_corpus(cases)
        latencies += [turn.seconds * 1000 for r in results for turn in r.turns]
    turns = sum(len(c["turns"]) for c in cases)
    turns_ok = sum(sum(r.turns_ok) for r in results)
    ok = sum(r.passed for r in results)
    print(f"# Corpus understanding — {date.today()}, {platform.machine()}, Python {platform.python_version()}\n")
    print(f"{ok} of {len(results)} conversations understood ({ok / len(results):.1%}); {turns_ok} of {turns} "
          f"turns ({turns_ok / turns:.1%}, a turn after a misunderstood one counts as it comes); "
          f"threshold {_check.read_threshold():.0%}\n")
    print("\n".join(table("language", by_group(results, lambda c: [c["lang"]]))) + "\n")
    print("\n".join(table("style", by_group(results, _check.styles_of))) + "\n")
    print("| respond() per turn | p50 | p95 | max | mean |\n|---|---:|---:|---:|---:|")
    print(f"| {len(latencies)} turns ({args.rounds} rounds) | {pct(latencies, 0.5):.2f} ms | "
          f"{pct(latencies, 0.95):.2f} ms | {max(latencies):.1f} ms | {statistics.fmean(latencies):.2f} ms |")


if __name__ == "__main__":
    main()
