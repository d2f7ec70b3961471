"""Search over 1,000,000 items on SQLite: p50/p95 of 200 realistic queries through the service
layer, against a naive LIKE '%q%' scan and against the bare index query, in the same run.

    python bench/search_bench.py [--items 1000000] [--queries 200]

Items: the demo county's 1,414 names repeated over ~700 jurisdictions (a province's list holds
the same powers in every county), with codes per jurisdiction. Queries: two- to six-character
fragments of real names, traditional-character forms, codes and code prefixes. Nothing asserted.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def build(items: int):
    """A fresh SQLite database of `items` published items, indexed for search (also used by
    bench/synonyms_bench.py). Returns (items built, jurisdictions, the demo's (name, category))."""
    tmp = tempfile.mkdtemp(prefix="powerlist-search-")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/search.sqlite3"
    os.environ.setdefault("POWERLIST_SECRET_KEY", "bench")
    os.environ["DJANGO_SETTINGS_MODULE"] = "powerlist.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from powerlist.catalog import demo, search
    from powerlist.catalog.models import PowerItem
    from powerlist.core.models import Jurisdiction, Organisation
    from powerlist.core.text import normalise, to_simplified

    call_command("migrate", verbosity=0)
    names = [(d["name"], d["category"]) for d in demo.items()]
    per = len(names)
    n_jur = -(-items // per)
    t0 = time.perf_counter()
    with transaction.atomic():
        province = Jurisdiction.objects.create(code="43", name="湖南省", level=1)
        jurs = Jurisdiction.objects.bulk_create(
            [Jurisdiction(code=f"43{k:04d}", name=f"第{k}县", level=3, parent=province) for k in range(n_jur)])
        orgs = Organisation.objects.bulk_create(
            [Organisation(jurisdiction=j, name=f"{j.name}市场监督管理局", name_key=normalise(f"{j.name}市场监督管理局"))
             for j in jurs])
        now = timezone.now()
        rows, index, pk = [], [], 0
        cols = ("id", "jurisdiction_id", "organisation_id", "code", "name", "name_key", "plain_name", "main_item",
                "category", "list_kind", "handling_office", "exercise_levels", "power_source", "limit_note", "fee_basis",
                "fee_standard", "conditions", "materials", "result_documents", "supervision_phone", "flowchart",
                "status", "version", "source", "created_at", "updated_at")
        # every other column (fields added since) gets its field's default, so the raw insert keeps working
        rest = [f for f in PowerItem._meta.concrete_fields if f.column not in cols]
        tail = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
        cols += tuple(f.column for f in rest)
        sql = f"INSERT INTO catalog_poweritem ({','.join(cols)}) VALUES ({','.join(['%s'] * len(cols))})"
        at = PowerItem._meta.get_field("created_at").get_db_prep_save(now, connection)
        with connection.cursor() as cursor:
            for j, org in zip(jurs, orgs, strict=True):
                for k, (name, category) in enumerate(names):
                    if pk >= items:
                        break
                    pk += 1
                    code = f"{j.code}-{category}-{k:05d}"
                    rows.append((pk, j.pk, org.pk, code, name, normalise(name), "", "", category, "government", "",
                                 "", "statutory", "", "", "", "", "", "", "", "{}", "published", 1, "bench", at, at, *tail))
                    index.append((pk, name, "", "", "", search.flags("published", j.pk, org.pk, category, 3)))
                if len(rows) >= 50000 or pk >= items:
                    cursor.executemany(sql, rows)
                    search.index_rows(index)
                    rows, index = [], []
    build_s = time.perf_counter() - t0
    print(f"{pk:,} items in {n_jur} jurisdictions built and indexed in {build_s:.0f}s", flush=True)
    return pk, n_jur, names


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    pk, n_jur, names = build(args.items)
    from django.db import connection

    from powerlist.catalog import search
    from powerlist.core.text import normalise, to_simplified

    rnd = random.Random(11)
    unique = sorted({n for n, _c in names})
    queries = []
    for _ in range(args.queries):
        r = rnd.random()
        name = rnd.choice(unique)
        if r < 0.7:
            size = rnd.randint(2, min(6, len(name)))
            start = rnd.randrange(0, len(name) - size + 1)
            q = name[start:start + size]
            if r < 0.15:  # traditional characters
                import opencc

                q = opencc.OpenCC("s2t").convert(q)
        elif r < 0.85:
            q = f"43{rnd.randrange(n_jur):04d}-0{rnd.randint(1, 9)}"  # a code prefix
        else:
            q = name  # a whole name
        queries.append(q)

    def timed(fn):
        out = []
        for q in queries:
            t = time.perf_counter()
            fn(q)
            out.append(time.perf_counter() - t)
        return out

    def service(q):
        return search.search(q, per_page=20)

    def bare(q):  # the index alone: first 20 ids matching the bigram phrase (or the code prefix)
        key = normalise(q)
        with connection.cursor() as cursor:
            if len(key) >= 2 and not key[:2].isdigit():
                sql, params = search._matching_ids_sql(key, ["spublished"])
                cursor.execute(sql + " LIMIT 20", params)
            else:
                cursor.execute("SELECT id FROM catalog_poweritem WHERE code >= %s AND code < %s LIMIT 20",
                               [q, q + "\uffff"])
            return cursor.fetchall()

    def bare_counted(q):  # the index work a results page needs: the count, then the first 20
        key = normalise(q)
        with connection.cursor() as cursor:
            if len(key) >= 2 and not key[:2].isdigit():
                sql, params = search._matching_ids_sql(key, ["spublished"])
                cursor.execute(f"SELECT COUNT(*) FROM ({sql})", params)
                cursor.fetchall()
                cursor.execute(sql + " LIMIT 20", params)
            else:
                cursor.execute("SELECT COUNT(*) FROM catalog_poweritem WHERE code >= %s AND code < %s",
                               [q, q + "\uffff"])
                cursor.fetchall()
                cursor.execute("SELECT id FROM catalog_poweritem WHERE code >= %s AND code < %s LIMIT 20",
                               [q, q + "\uffff"])
            return cursor.fetchall()

    def naive(q):  # what a first version would do: LIKE over names, plus the count
        key = to_simplified(q)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM catalog_poweritem WHERE name LIKE %s OR code LIKE %s",
                           [f"%{key}%", f"%{q}%"])
            cursor.fetchall()
            cursor.execute("SELECT id FROM catalog_poweritem WHERE name LIKE %s OR code LIKE %s LIMIT 20",
                           [f"%{key}%", f"%{q}%"])
            return cursor.fetchall()

    service(queries[0])  # warm the caches once
    results = {"service (search(): count, exact and prefix first, page 1)": timed(service),
               "bare index query (first 20 ids)": timed(bare),
               "bare index queries (count, then first 20 ids)": timed(bare_counted),
               "naive LIKE '%q%' scan (count and first 20)": timed(naive)}
    base = pct(results["bare index queries (count, then first 20 ids)"], 95)
    print(f"\n{len(queries)} queries over {pk:,} items, SQLite {connection.Database.sqlite_version}, python "
          f"{sys.version.split()[0]}, {os.cpu_count()} cpus\n")
    print("| operation | p50 ms | p95 ms | max ms | p95 / p95 of the bare count-and-page queries |")
    print("|---|---:|---:|---:|---:|")
    for label, times in results.items():
        print(f"| {label} | {pct(times, 50):.1f} | {pct(times, 95):.1f} | {max(times) * 1000:.1f} | "
              f"{pct(times, 95) / base:.1f} |")
    hits = [search.search(q).total for q in queries[:20]]
    print(f"\nresult counts of the first 20 queries: {hits}; mean {statistics.mean(hits):,.0f}")


if __name__ == "__main__":
    main()
