"""Search with synonyms over 1,000,000 items on SQLite: p50/p95 of the same queries through
search() with the synonym table applied and without it (expand=False), in the same run.

    python bench/synonyms_bench.py [--items 1000000] [--queries 200]

Items: bench/search_bench.py's build (the demo county's 1,414 names over ~700 jurisdictions).
Queries: the shipped table's terms alone (低保, 社保, 营业执照, ...), a term with a fragment of a
real name after or before it (低保给付, 申请社保), and plain fragments of real names (most find
no term to expand); a third of them filtered by one jurisdiction, as the portal does. The table
is the shipped one (82 entries, loaded by migration). Then the nearest-names suggestions of the
nothing-found page, for one county and for all jurisdictions. Nothing asserted.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_bench import build, pct  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    items, n_jur, names = build(args.items)
    from django.db import connection

    from powerlist.catalog import search
    from powerlist.core import synonyms
    from powerlist.core.models import Jurisdiction

    rnd = random.Random(17)
    terms = [e.term for e in synonyms.shipped()]
    unique = sorted({n for n, _c in names})
    jurisdictions = list(Jurisdiction.objects.filter(level=3).order_by("code"))

    def fragment():
        name = rnd.choice(unique)
        size = rnd.randint(2, min(4, len(name)))
        start = rnd.randrange(0, len(name) - size + 1)
        return name[start:start + size]

    queries = []
    for _ in range(args.queries):
        r = rnd.random()
        if r < 0.4:
            q = rnd.choice(terms)
        elif r < 0.55:
            q = rnd.choice(terms) + fragment()
        elif r < 0.7:
            q = fragment() + rnd.choice(terms)
        else:
            q = fragment()
        queries.append((q, rnd.choice(jurisdictions) if rnd.random() < 1 / 3 else None))

    def timed(q, j, expand):
        t = time.perf_counter()
        total = search.search(q, jurisdiction=j, per_page=20, expand=expand).total
        return time.perf_counter() - t, total

    for q, j in queries:  # warm the caches once (the synonym table among them)
        search.search(q, jurisdiction=j, expand=True)
    plain, expanded, plain_totals, expanded_totals = [], [], [], []
    for n, (q, j) in enumerate(queries):  # each query both ways, in turn first, so neither finds a warmer cache
        for expand in ((False, True) if n % 2 else (True, False)):
            seconds, total = timed(q, j, expand)
            (expanded if expand else plain).append(seconds)
            (expanded_totals if expand else plain_totals).append(total)
    base = pct(plain, 95)
    n_expanded = sum(1 for q, _j in queries if synonyms.expand(search.normalise(q)))
    print(f"\n{len(queries)} queries ({n_expanded} of them expanded by the table) over {items:,} items in {n_jur} "
          f"jurisdictions, SQLite {connection.Database.sqlite_version}, python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cpus\n")
    print("| operation | p50 ms | p95 ms | max ms | p95 / p95 without expansion |")
    print("|---|---:|---:|---:|---:|")
    for label, times in (("search() without expansion (baseline)", plain), ("search() with synonyms", expanded)):
        print(f"| {label} | {pct(times, 50):.1f} | {pct(times, 95):.1f} | {max(times) * 1000:.1f} | "
              f"{pct(times, 95) / base:.2f} |")
    found_plain = sum(1 for t in plain_totals if t)
    found_expanded = sum(1 for t in expanded_totals if t)
    print(f"\nqueries finding something: {found_plain} without expansion, {found_expanded} with synonyms; "
          f"mean results {statistics.mean(plain_totals):,.0f} -> {statistics.mean(expanded_totals):,.0f}")
    lost = sum(1 for a, b in zip(plain_totals, expanded_totals, strict=True) if b < a)
    print(f"queries where expansion found fewer results than the plain query: {lost}")

    # the nothing-found page: nearest names by rapidfuzz, for one county and for all jurisdictions
    from powerlist.catalog import search_hints

    missing = [q + "证明开具" for q in terms[:20]]
    print("\n| nearest names for a search that found nothing | first call ms | p50 ms after | p95 ms after |")
    print("|---|---:|---:|---:|")
    for label, j in (("one county", jurisdictions[0]), ("all jurisdictions", None)):
        t = time.perf_counter()
        search_hints.suggestions(search.phrases_of(missing[0]), j)
        first = time.perf_counter() - t
        after = []
        for q in missing:
            t = time.perf_counter()
            search_hints.suggestions(search.phrases_of(q), j)
            after.append(time.perf_counter() - t)
        print(f"| {label} | {first * 1000:.0f} | {pct(after, 50):.1f} | {pct(after, 95):.1f} |")


if __name__ == "__main__":
    main()
