"""Comparing two lists of 5,000 items (issue 9, check e): precision and recall on the known pairs,
and seconds, for powerlist's comparison (normalised keys, rapidfuzz + jieba, one-to-one) and for
rapidfuzz brute force on the raw names (the same one-to-one assignment, no normalisation), in the
same run. Nothing asserted.

    python bench/compare_bench.py [--items 5000] [--seeds 1 2] [--different 0.03] [--no-real]

The lists: base names of our own vocabulary (cleanup/namegen.py), plus, unless --no-real, the
names of a real county's list read at run time from ../shared/data/power_lists/
guangan_511602_items.csv (never stored). Their list varies each name with a seeded generator
(traditional characters, bracketed notes added or dropped, reordered 对……的处罚 phrasing,
department and jurisdiction prefixes, full-width brackets) and replaces a share `--different` of
its items by held-out base names ours never has: the truly different items. The places of the
prefixes are given to the normaliser, as `powerlist compare` gives the jurisdictions' names.
"""

import argparse
import csv
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REAL = REPO.parent / "shared" / "data" / "power_lists" / "guangan_511602_items.csv"


def brute_force(ours, theirs, threshold):
    """rapidfuzz on the raw names: every pair at least `threshold` (WRatio), same greedy assignment."""
    from rapidfuzz import fuzz, process

    from powerlist.cleanup.matching import assign_one_to_one

    names = [n for _c, n in theirs]
    pairs = []
    for i, (_code, name) in enumerate(ours):
        for _choice, s, j in process.extract(name, names, scorer=fuzz.WRatio, score_cutoff=threshold * 100, limit=5):
            pairs.append((i, j, s / 100))
    return [{"ours": ours[i][0], "theirs": theirs[j][0], "score": s} for i, j, s in assign_one_to_one(pairs)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--different", type=float, default=0.03)
    parser.add_argument("--no-real", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powerlist.settings")
    import django

    django.setup()
    from powerlist.cleanup.compare import ListEntry, compare_entries
    from powerlist.cleanup.matching import MATCH_THRESHOLD, tokens
    from powerlist.cleanup.namegen import PLACES, generate, precision_recall

    extra = []
    if not args.no_real and REAL.exists():
        with REAL.open(encoding="utf-8-sig") as fh:
            extra = [row["item_name"] for row in csv.DictReader(fh)]
    tokens("预热")  # jieba loads its dictionary once per process (~0.7 s), outside the timings
    print(f"{args.items} items a list, {args.different:.0%} truly different, {len(extra)} real base names, "
          f"threshold {MATCH_THRESHOLD}")
    print(f"{'seed':>4} {'method':<34} {'precision':>9} {'recall':>7} {'seconds':>8}")
    for seed in args.seeds:
        pair = generate(args.items, seed=seed, different=args.different, extra=extra)
        rows = []
        t = time.perf_counter()
        result = compare_entries([ListEntry(c, n) for c, n in pair.ours], [ListEntry(c, n) for c, n in pair.theirs],
                                 places=PLACES)
        rows.append(("powerlist (normalised, one-to-one)", result.matched, time.perf_counter() - t))
        for threshold in (MATCH_THRESHOLD, 0.6):
            t = time.perf_counter()
            matched = brute_force(pair.ours, pair.theirs, threshold)
            rows.append((f"rapidfuzz WRatio raw names >= {threshold}", matched, time.perf_counter() - t))
        base = rows[0][2]
        for label, matched, seconds in rows:
            p, r = precision_recall(matched, pair.known)
            print(f"{seed:>4} {label:<34} {p:>9.3f} {r:>7.3f} {seconds:>8.2f}  ({seconds / base:.2f}x)")


if __name__ == "__main__":
    sys.exit(main())
