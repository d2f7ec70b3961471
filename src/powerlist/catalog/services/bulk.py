"""Fast insertion of many new items with their elements and ledger records.

The ORM's bulk_create builds a model instance per row and, on SQLite, splits statements at
999 parameters; for a 100,000-row import that costs more than reading the file. Here rows go
straight to `executemany`. Values are given as both databases take them: text, integers, ISO
dates, JSON text and decimal strings (PostgreSQL receives them as untyped literals and casts
them to the column's type); columns left out take the field's default.
"""

import hashlib
import json

from django.db import connection
from django.utils import timezone

from powerlist.catalog import search
from powerlist.catalog.services.items import SCALAR_COLUMNS
from powerlist.catalog.models import (
    AccountabilitySituation, ChangeAction, ChangeRecord, Citation, DiscretionBenchmark, PowerItem,
    ResponsibilityItem, RiskPoint,
)
from powerlist.core.services.audit import actor_name
from powerlist.core.text import normalise

CHUNK = 2000
SCALARS = tuple(f for f in SCALAR_COLUMNS if f != "flowchart")  # the flowchart goes in as JSON text


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


class _Table:
    """An INSERT statement for a model, and its rows built from dicts of column values."""

    def __init__(self, model, with_id: bool = False):
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.attnames = [f.attname for f in fields]
        self.defaults = [f.get_default() for f in fields]
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = connection.ops.quote_name(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
        self.copy_sql = f"COPY {table} ({cols}) FROM STDIN"

    def row(self, values: dict) -> tuple:
        return tuple([values.get(a, d) for a, d in zip(self.attnames, self.defaults, strict=True)])

    def insert(self, rows: list[tuple]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # COPY is PostgreSQL's bulk path: about twice executemany's rows per second
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, rows)


def reserve_ids(model, n: int) -> list[int]:
    """n primary keys for rows about to be inserted, so their children can point at them."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [r[0] for r in cursor.fetchall()]
        # SQLite: the transaction began IMMEDIATE, so no other writer can take these ids meanwhile
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + n))


class BulkWriter:
    """Collects (document, organisation) pairs and writes them in chunks inside the caller's
    transaction: the item row, its elements, and a ChangeRecord (action create) for each."""

    def __init__(self, actor, jurisdiction, *, via: str, reason: str = "", document: str = "", at=None):
        self.actor, self.jurisdiction, self.via = actor, jurisdiction, via
        self.reason, self.document = reason, document
        self.at = at or timezone.now()
        self.at_db = ChangeRecord._meta.get_field("at").get_db_prep_save(self.at, connection)
        self.actor_id = getattr(actor, "pk", None)
        self.actor_name = actor_name(actor)
        self.items = _Table(PowerItem, with_id=True)
        self.changes = _Table(ChangeRecord)
        self.children = {model: _Table(model) for model in (Citation, ResponsibilityItem, AccountabilitySituation,
                                                            RiskPoint, DiscretionBenchmark)}
        self.buffer: list = []
        self.created = 0
        self.digest = hashlib.sha256()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ChangeRecord._meta.db_table}")
            self.changes_before = cursor.fetchone()[0]

    def add(self, pairs) -> None:
        self.buffer.extend(pairs)
        if len(self.buffer) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.buffer:
            return
        ids = reserve_ids(PowerItem, len(self.buffer))
        items, changes, index = [], [], []
        t = self.children
        rows = {model: [] for model in t}
        jurisdiction_id, at = self.jurisdiction.pk, self.at_db
        for pk, (doc, org) in zip(ids, self.buffer, strict=True):
            doc = doc | {"organisation": org.name}
            values = {k: doc[k] for k in SCALARS}
            values.update(id=pk, jurisdiction_id=jurisdiction_id, organisation_id=org.pk, version=1,
                          flowchart=_json(doc["flowchart"]), name_key=normalise(doc["name"])[:500], source=self.via,
                          created_at=at, updated_at=at)
            items.append(self.items.row(values))
            index.append((pk, doc["name"], doc["plain_name"], doc["main_item"],
                          "\n".join(c["text"] for c in doc["citations"]),
                          search.flags(doc["status"], jurisdiction_id, org.pk, doc["category"], self.jurisdiction.level)))
            rows[Citation] += [t[Citation].row({"item_id": pk, "kind": c["kind"], "position": i, "raw_text": c["text"]})
                               for i, c in enumerate(doc["citations"])]
            rows[ResponsibilityItem] += [t[ResponsibilityItem].row({"item_id": pk, "position": i, **r})
                                         for i, r in enumerate(doc["responsibilities"])]
            rows[AccountabilitySituation] += [t[AccountabilitySituation].row({"item_id": pk, "position": i, "text": x})
                                              for i, x in enumerate(doc["accountability"])]
            rows[RiskPoint] += [t[RiskPoint].row({"item_id": pk, "position": i, **p})
                                for i, p in enumerate(doc["risk_points"])]
            rows[DiscretionBenchmark] += [t[DiscretionBenchmark].row({"item_id": pk, "position": i, **d})
                                          for i, d in enumerate(doc["discretion"])]
            after = _json(doc)
            changes.append(self.changes.row({
                "item_id": pk, "jurisdiction_id": jurisdiction_id, "action": ChangeAction.CREATE.value,
                "before": None, "after": after, "changed_fields": "", "reason": self.reason,
                "document": self.document, "via": self.via, "actor_id": self.actor_id,
                "actor_name": self.actor_name, "at": at}))
            self.digest.update(after.encode())
        self.items.insert(items)
        for model, batch in rows.items():
            t[model].insert(batch)
        self.changes.insert(changes)
        search.index_rows(index)
        self.created += len(self.buffer)
        self.buffer.clear()

    def change_record_range(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ChangeRecord._meta.db_table}")
            return [self.changes_before + 1, cursor.fetchone()[0]]

    def changes_digest(self) -> str:
        return self.digest.hexdigest()
