"""Fast insertion of many new items with their elements and ledger records.

The ORM's bulk_create builds a model instance per row and, on SQLite, splits statements at
999 parameters; for a 100,000-row import that costs more than reading the file. Here rows go
straight to `executemany` with values prepared by each field's own `get_db_prep_save`, so
what lands in the database is exactly what the ORM would write.
"""

import hashlib
import json

from django.db import connection, models
from django.utils import timezone

from powerlist.catalog.models import ChangeAction, ChangeRecord, PowerItem
from powerlist.catalog.services.items import child_rows
from powerlist.core.services.audit import actor_name
from powerlist.core.text import normalise

CHUNK = 2000
_PASS_THROUGH = (models.CharField, models.TextField, models.IntegerField, models.ForeignKey,
                 models.PositiveIntegerField, models.PositiveSmallIntegerField, models.AutoField,
                 models.BigAutoField)


class _Table:
    """An INSERT statement for a model and a converter for its rows."""

    def __init__(self, model, with_id: bool = False):
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.attnames = [f.attname for f in fields]
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({cols}) VALUES ({marks})"
        self.prep = [None if isinstance(f, _PASS_THROUGH) and not isinstance(f, models.JSONField)
                     else (lambda v, f=f: f.get_db_prep_save(v, connection)) for f in fields]

    def row(self, values: dict) -> tuple:
        return tuple(v if p is None else p(v) for p, v in zip(self.prep, (values[a] for a in self.attnames), strict=True))

    def insert(self, rows: list[tuple]) -> None:
        if rows:
            with connection.cursor() as cursor:
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
        self.actor_id = getattr(actor, "pk", None)
        self.actor_name = actor_name(actor)
        self.items = _Table(PowerItem, with_id=True)
        self.changes = _Table(ChangeRecord)
        self.children: dict = {}
        self.buffer: list = []
        self.created = 0
        self.digest = hashlib.sha256()
        self.first_change_id = None
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
        item_rows, change_rows, child_batches = [], [], {}
        for pk, (doc, org) in zip(ids, self.buffer, strict=True):
            doc = doc | {"organisation": org.name}
            values = {k: doc[k] for k in ("code", "name", "plain_name", "main_item", "category", "list_kind",
                                          "handling_office", "exercise_levels", "power_source",
                                          "statutory_limit_days", "promised_limit_days", "limit_note", "fee_basis",
                                          "fee_standard", "conditions", "materials", "result_documents",
                                          "supervision_phone", "flowchart", "status", "valid_from", "valid_to")}
            values.update(id=pk, jurisdiction_id=self.jurisdiction.pk, organisation_id=org.pk,
                          name_key=normalise(doc["name"]), version=1, source=self.via, created_at=self.at,
                          updated_at=self.at)
            item_rows.append(self.items.row(values))
            for model, objs in child_rows(pk, doc).items():
                table = self.children.get(model) or self.children.setdefault(model, _Table(model))
                child_batches.setdefault(model, []).extend(
                    table.row({a: getattr(o, a) for a in table.attnames}) for o in objs)
            change_rows.append(self.changes.row({
                "item_id": pk, "jurisdiction_id": self.jurisdiction.pk, "action": ChangeAction.CREATE.value,
                "before": None, "after": doc, "changed_fields": "", "reason": self.reason,
                "document": self.document, "via": self.via, "actor_id": self.actor_id,
                "actor_name": self.actor_name, "at": self.at}))
            self.digest.update(json.dumps(doc, ensure_ascii=False, sort_keys=True).encode())
        self.items.insert(item_rows)
        for model, rows in child_batches.items():
            self.children[model].insert(rows)
        self.changes.insert(change_rows)
        self.created += len(self.buffer)
        self.buffer.clear()

    def change_record_range(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {ChangeRecord._meta.db_table}")
            return [self.changes_before + 1, cursor.fetchone()[0]]

    def changes_digest(self) -> str:
        return self.digest.hexdigest()
