"""Search over names, plain-language names, main items, codes and legal basis.

Chinese has no spaces between words and people search with any fragment (`许可`, `權力清單`),
so every text is indexed as overlapping character bigrams of its matching key (traditional to
simplified, full-width to half-width, lower case). A query's bigrams are searched as a phrase,
which matches exactly when the text contains the query. SQLite keeps the bigrams in an FTS5
table (its trigram tokenizer silently finds nothing for two-character queries); PostgreSQL in
a tsvector with a GIN index. Codes are matched by exact value and prefix on the B-tree index.

Results: exact name matches first, then names starting with the query, then the rest in
index order; filters by jurisdiction, department, category and jurisdiction level.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from powerlist.catalog.models import PowerItem, Status
from powerlist.core.text import normalise

SQLITE_TABLE = "catalog_search"
PG_TABLE = "catalog_searchdoc"
_CODE = re.compile(r"^[0-9a-z][0-9a-z\-_.]*$")


def bigrams(key: str) -> list[str]:
    if len(key) < 2:
        return [key] if key else []
    return [key[i:i + 2] for i in range(len(key) - 1)]


def _field(text: str) -> str:
    return " ".join(bigrams(normalise(text)))


def _columns(name: str, plain: str, main: str, basis: str) -> tuple[str, str, str, str]:
    return _field(name), _field(plain), _field(main), _field(basis)


# ---------------------------------------------------------------------------------------------
# the index (written by catalog services in the transaction that changes the items)

def create_index_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(name, plain, main, basis, "
                f"tokenize='unicode61 remove_diacritics 0', detail='full')"]
    if vendor == "postgresql":
        return [f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (item_id bigint PRIMARY KEY REFERENCES catalog_poweritem(id) "
                f"ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, doc tsvector NOT NULL)",
                f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_doc ON {PG_TABLE} USING gin (doc)"]
    return []


def drop_index_sql(vendor: str) -> list[str]:
    return [f"DROP TABLE IF EXISTS {SQLITE_TABLE if vendor == 'sqlite' else PG_TABLE}"]


def index_rows(rows) -> None:
    """rows: (item_id, name, plain_name, main_item, legal basis text). Replaces their entries."""
    rows = [(pk, *_columns(name, plain, main, basis)) for pk, name, plain, main, basis in rows]
    if not rows:
        return
    with connection.cursor() as cursor:
        ids = [r[0] for r in rows]
        if connection.vendor == "sqlite":
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({','.join(['%s'] * len(chunk))})", chunk)
            cursor.executemany(f"INSERT INTO {SQLITE_TABLE}(rowid, name, plain, main, basis) VALUES (%s,%s,%s,%s,%s)",
                               rows)
        elif connection.vendor == "postgresql":
            # weights keep the field apart: a phrase never runs from one field into the next
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE item_id = ANY(%s)", [ids])
            cursor.executemany(
                f"INSERT INTO {PG_TABLE}(item_id, doc) VALUES (%s, setweight(to_tsvector('simple', %s), 'A') || "
                f"setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'C') || "
                f"setweight(to_tsvector('simple', %s), 'D'))", rows)


def reindex(item_ids) -> None:
    """Rebuild the entries of these items from the database."""
    item_ids = list(item_ids)
    for start in range(0, len(item_ids), 2000):
        chunk = item_ids[start:start + 2000]
        basis: dict[int, list[str]] = {}
        from powerlist.catalog.models import Citation

        for item_id, text in Citation.objects.filter(item_id__in=chunk).values_list("item_id", "raw_text"):
            basis.setdefault(item_id, []).append(text)
        rows = [(pk, name, plain, main, "\n".join(basis.get(pk, [])))
                for pk, name, plain, main in PowerItem.objects.filter(pk__in=chunk).values_list(
                    "pk", "name", "plain_name", "main_item")]
        index_rows(rows)


def rebuild() -> int:
    """The whole index from the items (after a restore, or to create it for existing data)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SQLITE_TABLE if connection.vendor == 'sqlite' else PG_TABLE}")
    ids = list(PowerItem.objects.values_list("pk", flat=True).order_by("pk"))
    reindex(ids)
    return len(ids)


# ---------------------------------------------------------------------------------------------
# queries

@dataclass
class SearchResult:
    items: list
    total: int
    page: int
    per_page: int
    query: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _matching_ids_sql(key: str) -> tuple[str, list]:
    """SQL selecting the ids of items whose indexed text contains `key` (two characters or more)."""
    phrase = " ".join(bigrams(key))
    if connection.vendor == "sqlite":
        quoted = '"' + phrase.replace('"', '""') + '"'
        return f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [quoted]
    return f"SELECT item_id FROM {PG_TABLE} WHERE doc @@ phraseto_tsquery('simple', %s)", [phrase]


def search(query: str, *, jurisdiction=None, organisation=None, category=None, level=None,
           published_only: bool = True, page: int = 1, per_page: int = 20) -> SearchResult:
    key = normalise(query)[:60]
    page, per_page = max(1, page), max(1, min(per_page, 100))
    qs = PowerItem.objects.all()
    if published_only:
        qs = qs.filter(status=Status.PUBLISHED)
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(jurisdiction__level=level)
    if not key:
        total = qs.count()
        items = list(qs.select_related("organisation", "jurisdiction").order_by("code")[
            (page - 1) * per_page: page * per_page])
        return SearchResult(items, total, page, per_page, query)
    if len(key) >= 2:
        condition = Q(pk__in=RawSQL(*_matching_ids_sql(key)))
    else:  # one character: no bigram to look up; the names are scanned
        condition = Q(name_key__contains=key)
    if _CODE.match(key):
        condition |= Q(code__istartswith=query.strip())
    matched = qs.filter(condition)
    exact = qs.filter(name_key=key)
    prefix = qs.filter(name_key__startswith=key).exclude(name_key=key)
    total = matched.count()
    start, stop = (page - 1) * per_page, page * per_page
    # exact names, then names beginning with the query, then the other matches in index order
    ordered: list[int] = []
    for part in (exact.order_by("code"), prefix.order_by("code"), matched.exclude(name_key__startswith=key)):
        if len(ordered) >= stop:
            break
        ordered += [pk for pk in part.values_list("pk", flat=True)[: stop - len(ordered)] if pk not in ordered]
    ids = ordered[start:stop]
    by_id = {i.pk: i for i in PowerItem.objects.filter(pk__in=ids).select_related("organisation", "jurisdiction")}
    return SearchResult([by_id[i] for i in ids if i in by_id], total, page, per_page, query)
