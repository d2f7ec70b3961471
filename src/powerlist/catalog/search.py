"""Search over names, plain-language names, main items, codes and legal basis.

Chinese has no spaces between words and people search with any fragment (`许可`, `權力清單`),
so every text is indexed as overlapping character bigrams of its matching key (traditional to
simplified, full-width to half-width, lower case). A query's bigrams are searched as a phrase,
which matches exactly when the text contains the query. SQLite keeps the bigrams in an FTS5
table (its trigram tokenizer silently finds nothing for two-character queries); PostgreSQL in
a tsvector with a GIN index. Codes are matched by exact value and prefix on the B-tree index.

People type 低保 where the lists say 最低生活保障: a query is expanded at query time with the
synonym table (powerlist.core.synonyms) into an OR of phrases, what was typed among them, so
expansion only ever adds results.

Results: exact name matches of what was typed first, then names starting with it, then exact
and prefix matches of the expanded phrases, then the rest in index order; filters by
jurisdiction, department, category and jurisdiction level.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from powerlist.catalog.models import PowerItem, Status
from powerlist.core import synonyms
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


def flags(status: str, jurisdiction_id: int, organisation_id: int, category: str, level: int) -> str:
    """Filter values as tokens of their own, so that the index itself counts and pages filtered
    results. They are longer than two characters and so never collide with a bigram."""
    return f"s{status.replace('_', '')} j{jurisdiction_id} o{organisation_id} c{category} l{level}"


def _filter_tokens(published_only, jurisdiction, organisation, category, level) -> list[str]:
    tokens = []
    if published_only:
        tokens.append("spublished")
    if jurisdiction is not None:
        tokens.append(f"j{jurisdiction.pk}")
    if organisation is not None:
        tokens.append(f"o{organisation.pk}")
    if category:
        tokens.append(f"c{category}")
    if level:
        tokens.append(f"l{int(level)}")
    return tokens


# ---------------------------------------------------------------------------------------------
# the index (written by catalog services in the transaction that changes the items)

def create_index_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"CREATE VIRTUAL TABLE IF NOT EXISTS {SQLITE_TABLE} USING fts5(name, plain, main, basis, flags, "
                f"tokenize='unicode61 remove_diacritics 0', detail='full')"]
    if vendor == "postgresql":
        # no foreign key: items are retired by status, never deleted, and a key would stop
        # `powerlist flush` (TRUNCATE) from emptying the items table
        return [f"CREATE TABLE IF NOT EXISTS {PG_TABLE} (item_id bigint PRIMARY KEY, doc tsvector NOT NULL)",
                f"CREATE INDEX IF NOT EXISTS {PG_TABLE}_doc ON {PG_TABLE} USING gin (doc)"]
    return []


def drop_index_sql(vendor: str) -> list[str]:
    return [f"DROP TABLE IF EXISTS {SQLITE_TABLE if vendor == 'sqlite' else PG_TABLE}"]


def index_rows(rows) -> None:
    """rows: (item_id, name, plain_name, main_item, legal basis text, flags). Replaces their entries."""
    rows = [(pk, *_columns(name, plain, main, basis), tags) for pk, name, plain, main, basis, tags in rows]
    if not rows:
        return
    with connection.cursor() as cursor:
        ids = [r[0] for r in rows]
        if connection.vendor == "sqlite":
            for start in range(0, len(ids), 500):
                chunk = ids[start:start + 500]
                cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({','.join(['%s'] * len(chunk))})", chunk)
            cursor.executemany(f"INSERT INTO {SQLITE_TABLE}(rowid, name, plain, main, basis, flags) "
                               f"VALUES (%s,%s,%s,%s,%s,%s)", rows)
        elif connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {PG_TABLE} WHERE item_id = ANY(%s)", [ids])
            with cursor.cursor.copy(f"COPY {PG_TABLE} (item_id, doc) FROM STDIN") as copy:
                for pk, *columns, tags in rows:
                    copy.write_row((pk, _tsvector(columns, tags)))


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsvector(columns: list[str], tags: str) -> str:
    """A tsvector literal built here rather than by to_tsvector: the bigrams are the lexemes
    as they are (PostgreSQL's parser would split those holding punctuation), each field in its
    own run of positions, and the filter tokens without positions."""
    positions: dict[str, list[str]] = {}
    pos = 1
    for text, weight in zip(columns, "ABCD", strict=True):
        for token in text.split():
            if pos <= 16383:  # PostgreSQL's largest position
                entry = positions.setdefault(token, [])
                if len(entry) < 256:  # and its longest position list
                    entry.append(f"{pos}{weight if weight != 'D' else ''}")
            pos += 1
        pos += 2  # a gap: a phrase does not run from one field into the next
    parts = [f"{_lexeme(t)}:{','.join(p)}" for t, p in positions.items()]
    parts += [_lexeme(t) for t in tags.split() if t not in positions]
    return " ".join(parts)


def reindex(item_ids) -> None:
    """Rebuild the entries of these items from the database."""
    item_ids = list(item_ids)
    for start in range(0, len(item_ids), 2000):
        chunk = item_ids[start:start + 2000]
        basis: dict[int, list[str]] = {}
        from powerlist.catalog.models import Citation

        for item_id, text in Citation.objects.filter(item_id__in=chunk).values_list("item_id", "raw_text"):
            basis.setdefault(item_id, []).append(text)
        rows = [(pk, name, plain, main, "\n".join(basis.get(pk, [])), flags(status, j, o, cat, level))
                for pk, name, plain, main, status, j, o, cat, level in PowerItem.objects.filter(pk__in=chunk)
                .values_list("pk", "name", "plain_name", "main_item", "status", "jurisdiction_id", "organisation_id",
                             "category", "jurisdiction__level")]
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
    phrases: tuple[str, ...] = ()  # the normalised query, then the phrases the synonyms added
    tried: list = field(default_factory=list)  # (term, expansions) of the synonyms applied

    @property
    def expanded(self) -> tuple[str, ...]:
        return self.phrases[1:]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _matching_ids_sql(keys: str | list[str], tokens: list[str] = ()) -> tuple[str, list]:
    """SQL selecting the ids of items whose indexed text contains `keys` (one normalised key,
    or several: any of them; each of two characters or more), or with no key, all items;
    `tokens` are filter flags every result must carry."""
    keys = [keys] if isinstance(keys, str) else keys
    phrases = [" ".join(bigrams(k)) for k in keys if k]
    if connection.vendor == "sqlite":
        terms = []
        if phrases:
            terms.append("{name plain main basis}: (" + " OR ".join(
                '"' + p.replace('"', '""') + '"' for p in phrases) + ")")
        terms += [f"flags: {t}" for t in tokens]
        return f"SELECT rowid FROM {SQLITE_TABLE} WHERE {SQLITE_TABLE} MATCH %s", [" AND ".join(terms)]
    # a tsquery literal, as the index holds the lexemes: no parser between them
    terms = [" | ".join("(" + " <-> ".join(_lexeme(b) for b in p.split()) + ")" for p in phrases)] if phrases else []
    terms += [_lexeme(t) for t in tokens]
    if not terms:
        return f"SELECT item_id FROM {PG_TABLE}", []
    return f"SELECT item_id FROM {PG_TABLE} WHERE doc @@ %s::tsquery", [" & ".join(f"({t})" for t in terms)]


class _IndexOrder:
    """Matches read straight from the index in its own (id) order: no sort, no join, so the
    first page of 100,000 matches costs what the first page of 20 does."""

    def __init__(self, sql: str, params: list):
        self.sql, self.params = sql, params

    def ids(self, limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"{self.sql} ORDER BY 1 LIMIT %s", [*self.params, limit])
            return [r[0] for r in cursor.fetchall()]


def filter_items(qs, *, jurisdiction=None, organisation=None, category=None, level=None, status=None):
    """The filters every list of items offers (portal, API, search)."""
    if jurisdiction is not None:
        qs = qs.filter(jurisdiction=jurisdiction)
    if organisation is not None:
        qs = qs.filter(organisation=organisation)
    if category:
        qs = qs.filter(category=category)
    if level:
        qs = qs.filter(jurisdiction__level=level)
    if status:
        qs = qs.filter(status=status)
    return qs


def phrases_of(query: str, expand: bool = True) -> tuple[str, ...]:
    """The normalised query, then the phrases the synonym table adds to it (低保 -> 最低生活保障)."""
    key = normalise(query)[:60]
    if not expand or len(key) < 2:
        return (key,)
    return (key, *synonyms.expand(key))


def text_condition(query: str, expand: bool = True) -> Q:
    """A filter for items whose names, codes or legal basis contain the query (or a phrase the
    synonyms expand it to), for callers that build their own queryset (e.g. a signed-in
    reader's scope)."""
    phrases = phrases_of(query, expand)
    key = phrases[0]
    if len(key) >= 2:
        condition = Q(pk__in=RawSQL(*_matching_ids_sql(list(phrases))))
    else:  # one character: no bigram to look up; the names are scanned
        condition = Q(name_key__contains=key)
    if _CODE.match(key):
        raw = query.strip()
        condition |= _prefix("code", raw) | _prefix("code", raw.upper())
    return condition


def _first_ids(part, limit: int) -> list[int]:
    if isinstance(part, _IndexOrder):
        return part.ids(limit)
    return list(part.values_list("pk", flat=True)[:limit])


def _prefix(field: str, value: str) -> Q:
    return Q(**{f"{field}__gte": value, f"{field}__lt": value + "\U0010ffff"})


def search(query: str, *, jurisdiction=None, organisation=None, category=None, level=None,
           published_only: bool = True, page: int = 1, per_page: int = 20, expand: bool = True) -> SearchResult:
    """One page of the items matching `query` (with its synonyms unless `expand` is False)."""
    phrases = phrases_of(query, expand)
    key, variants = phrases[0], list(phrases[1:])
    page, per_page = max(1, page), max(1, min(per_page, 100))
    qs = PowerItem.objects.all()
    if published_only:
        qs = qs.filter(status=Status.PUBLISHED)
    qs = filter_items(qs, jurisdiction=jurisdiction, organisation=organisation, category=category, level=level)
    if not key:
        total = qs.count()
        items = list(qs.select_related("organisation", "jurisdiction").order_by("code")[
            (page - 1) * per_page: page * per_page])
        return SearchResult(items, total, page, per_page, query, phrases)
    tokens = _filter_tokens(published_only, jurisdiction, organisation, category, level)
    code_like = bool(_CODE.match(key))
    if len(key) >= 2 and not code_like and tokens:
        # the common case: the index alone counts and pages the matches with their filters
        sql, params = _matching_ids_sql(list(phrases), tokens)
        matched = _IndexOrder(sql, params)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS m", params)
            total = cursor.fetchone()[0]
    else:
        matched = qs.filter(text_condition(query, expand))
        total = matched.count()
    start, stop = (page - 1) * per_page, page * per_page
    # exact names, then names beginning with what was typed, then the same for each expanded
    # phrase, then the other matches in index order; prefixes are ranges on the B-tree (LIKE 'x%'
    # cannot use it in SQLite), one query each so that each stays a range scan
    ordered: list[int] = []
    seen: set[int] = set()
    parts = [qs.filter(name_key=key).order_by("code"),
             qs.filter(_prefix("name_key", key)).exclude(name_key=key).order_by("name_key", "code")]
    if variants:
        parts.append(qs.filter(name_key__in=variants).order_by("code"))
        parts += [qs.filter(_prefix("name_key", v)).exclude(name_key=v).order_by("name_key", "code")
                  for v in variants]
    parts.append(matched if isinstance(matched, _IndexOrder) else matched.order_by("pk"))
    for part in parts:
        if len(ordered) >= stop:
            break
        for pk in _first_ids(part, stop + len(ordered)):
            if pk not in seen:
                seen.add(pk)
                ordered.append(pk)
                if len(ordered) >= stop:
                    break
    ids = ordered[start:stop]
    by_id = {i.pk: i for i in PowerItem.objects.filter(pk__in=ids).select_related("organisation", "jurisdiction")}
    return SearchResult([by_id[i] for i in ids if i in by_id], total, page, per_page, query, phrases,
                        synonyms.terms_in(key) if variants else [])
