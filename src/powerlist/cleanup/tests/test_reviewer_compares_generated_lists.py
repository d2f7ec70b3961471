"""The comparison finds the known pairs of two generated lists (correctness, not timing: the
5,000-item figure is bench/compare_bench.py's)."""

from powerlist.cleanup.compare import ListEntry, compare_entries
from powerlist.cleanup.namegen import PLACES, generate, precision_recall


def test_comparison_finds_known_pairs_of_a_fixed_generated_set():
    pair = generate(400, seed=7, different=0.05)
    result = compare_entries([ListEntry(c, n) for c, n in pair.ours], [ListEntry(c, n) for c, n in pair.theirs],
                             places=PLACES)
    precision, recall = precision_recall(result.matched, pair.known)
    assert precision >= 0.95 and recall >= 0.90
    assert len(result.matched) + len(result.only_ours) == 400
    assert len(result.matched) + len(result.only_theirs) == 400
    assert all(0 <= m["score"] <= 1 for m in result.matched)
