"""Events pushed by a department's own case system (部门自建办件系统推送的办件事件), through the API
(one event or a batch) or by file (`powerlist events import`).

A row names the sender's case number, the item (职权编码) and jurisdiction, the step (the task's
name or id), the action (accept, complete, return, suspend, resume, extend, close, and approve: another
person's 复核 of a high-risk step before its completion), the person who
acted in the sender's system, the time (ISO 8601 with its offset) and, for penalties, the amount,
the penalty type and the discretion grade. Everything is checked first; a bad row refuses the whole
batch or file naming row and field, and nothing is stored. A clerk pushes only their own
department's items, reviewers their jurisdiction's, administrators any.

**External case numbers.** The sender's case number is stored as `EXT-<division code>-<number>`
(`EXT-430304-2026-000123`) with source=external: powerlist's own numbers are
`<division code>-<date>-<n>` and never begin with `EXT-`, so the two number spaces cannot collide.
The first event of an unknown number opens the case, pinned to the item's flowchart in force (or
with no item and the code kept, for a power that is not on the list).

**Flags**: the event is stored anyway, flagged, never dropped (supervision reads them):
`unlisted-power` (the item is unknown, or not published and in force for its department on the
event's Beijing date), `out-of-order` (the step was not ready in the engine at that point, or the
action does not fit the case's state: completing while suspended, resuming what is not suspended,
anything after the case was closed), `unknown-step` (no task of the pinned flowchart has that name
or id), `no-branch` (the engine could not choose a gateway's branch: the sender sends no case
data), `late` (its time is before an event of the case already stored: it is appended after it).
Each case's events are replayed in order of time through SpiffWorkflow from the case's saved
state, as the case service runs them; an event with a control-flow flag (out-of-order,
unknown-step, no-branch) does not move the engine or the case.

**Idempotency.** Through the API each event carries the sender's key (`Idempotency-Key`), stored
as `api:<user>:<key>`: sent again, it is not stored twice (the stored event is returned), and the
same key with other content is refused. From a file the key is `file:` and the sha256 of the row's
content, so importing a file again stores nothing twice.

**Record.** One transaction: cases and events inserted in chunks, then every stored event on the
transparency log (one entry each, as the case service writes them, appended in chunks with
`audit.append_many`, last, so the log's head is locked only briefly) and one entry for the batch
with its counts and the sha256 of what was stored. Each stored event gets its post_save signal (a
bulk insert sends none by itself), so supervision's live rules evaluate pushed events as they
evaluate the case service's: once the transaction commits."""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.signals import post_save
from django.utils import timezone

from powerlist.catalog.models import PowerItem
from powerlist.core import scope, workdays
from powerlist.core.errors import Conflict, InvalidInput, PermissionDenied, Problem
from powerlist.core.models import Jurisdiction, Role, short_code
from powerlist.core.services import audit
from powerlist.core.workdays import beijing_date
from powerlist.operation import partitions
from powerlist.operation.models import Case, CaseAction, CaseEvent, CaseEventKey, CaseSource, PinnedFlowchart
from powerlist.operation.services.decisions import APPROVE
from powerlist.operation.services import cases, deadlines
from powerlist.operation.services import workflow as wf
from powerlist.operation.services.ingest_replay import LATE, UNLISTED, Replay, due

# a high-risk step's second approval (复核) is reported as `approve` naming the step, before its completion
ACTIONS = (*CaseAction.values, APPROVE)
FIELDS = ("case", "item_code", "jurisdiction", "step", "action", "actor", "at", "amount", "penalty_type",
          "discretion")
PREFIX = "EXT-"
MAX_BATCH = 1000  # events in one API batch
MAX_PROBLEMS = 200  # reading stops here: the sender has enough to fix
CASES_A_CHUNK = 500
KEY_CHARS = 100
LOG_CHUNK = 5000
_MAX_AMOUNT = Decimal("99999999999999.99")
_FUTURE = dt.timedelta(days=1)


@dataclass(slots=True)
class Row:
    number: int
    case: str
    item_code: str
    jurisdiction: Jurisdiction
    step: str
    action: str
    actor: str
    at: dt.datetime
    amount: Decimal | None
    penalty_type: str
    discretion: str
    key: str
    digest: str


@dataclass
class Result:
    stored: int = 0
    duplicates: int = 0
    cases_opened: int = 0
    flagged: Counter = field(default_factory=Counter)
    sha256: str = ""
    # the API's answer, per row in order: (row number, "stored" | "duplicate", CaseEvent)
    outcomes: list = field(default_factory=list)


class _OutOfScope(Exception):
    def __init__(self, row: int, why: str):
        self.row, self.why = row, why
        super().__init__(why)


def external_number(jurisdiction_code: str, case: str) -> str:
    return f"{PREFIX}{jurisdiction_code}-{case}"


# ---------------------------------------------------------------------------------------------
# checking rows

class _Reader:
    """Checks rows one by one, remembering jurisdictions and items by code."""

    def __init__(self, actor, source: str, file: str):
        self.actor, self.source, self.file = actor, source, file
        self.role = scope._role(actor)
        self.jurisdictions: dict[str, Jurisdiction | None] = {}
        self.items: dict[tuple[int, str], PowerItem | None] = {}
        self.words: dict[str, str] = {}  # one copy of each repeated text (codes, steps, names)
        self.tag = f"u{actor.pk}" if getattr(actor, "pk", None) else audit.actor_name(actor)[:40]
        self.now = timezone.now()
        self.charts: dict[int, tuple] = {}  # item id -> what its new cases pin (_open)
        self._calendar = None
        self.dues: dict[tuple, tuple] = {}

    @property
    def calendar(self):
        """The working-day calendar, read once for the batch (it is two queries)."""
        if self._calendar is None:
            self._calendar = workdays.Calendar()
        return self._calendar

    def word(self, text: str) -> str:
        return self.words.setdefault(text, text)

    def jurisdiction(self, code: str) -> Jurisdiction | None:
        if code not in self.jurisdictions:
            self.jurisdictions[code] = Jurisdiction.objects.filter(code=short_code(code)).first()
        return self.jurisdictions[code]

    def item(self, jurisdiction: Jurisdiction, code: str) -> PowerItem | None:
        key = (jurisdiction.pk, code)
        if key not in self.items:
            self.items[key] = PowerItem.objects.select_related("organisation", "jurisdiction").filter(
                jurisdiction=jurisdiction, code=code).first()
        return self.items[key]

    def check(self, number: int, raw: dict, problems: list[Problem]) -> Row | None:
        before = len(problems)

        def bad(name, value, expected):
            problems.append(Problem(self.file, number, name, str(value)[:100], expected))

        if not isinstance(raw, dict):
            bad("", raw, "应为一个事件（字段与值的对象）")
            return None
        text = {}
        for name in (*FIELDS, "idempotency_key"):
            value = raw.get(name)
            if value is None:
                value = ""
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and name == "amount":
                value = str(value)
            if not isinstance(value, str):
                bad(name, value, "应为文字")
                value = ""
            text[name] = value.strip()
            if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in text[name]):
                # NUL and lone surrogates: PostgreSQL cannot even be asked about them
                bad(name, text[name].encode("utf-8", "backslashreplace").decode()[:60], "含有控制字符或无效字符")
                text[name] = ""
        for name, limit in (("case", 40), ("item_code", 100), ("jurisdiction", 12), ("actor", 150)):
            if not text[name]:
                bad(name, "", "必填")
            elif len(text[name]) > limit or any(ord(c) < 32 for c in text[name]):
                bad(name, text[name], f"至多 {limit} 个字符，不含控制字符")
        jurisdiction = None
        if text["jurisdiction"]:
            jurisdiction = self.jurisdiction(text["jurisdiction"])
            if jurisdiction is None:
                bad("jurisdiction", text["jurisdiction"], "应为已登记的行政区划代码（如 430304）")
        if jurisdiction is not None and text["case"]:
            room = 40 - len(external_number(jurisdiction.code, ""))
            if len(text["case"]) > room or any(c.isspace() for c in text["case"]):
                bad("case", text["case"], f"发送方办件编号至多 {room} 个字符，不含空白")
        action = text["action"].lower()
        if action not in ACTIONS:
            bad("action", text["action"], "应为 " + "、".join(ACTIONS) + " 之一")
        if len(text["step"]) > 300:
            bad("step", text["step"][:60], "至多 300 个字符")
        elif not text["step"] and action in (CaseAction.COMPLETE, CaseAction.RETURN, APPROVE):
            bad("step", "", f"{action} 须写明环节（任务名称或编号）")
        at = _time(text["at"])
        if at is None:
            bad("at", text["at"], "应为带时区偏移的 ISO 8601 时间，如 2026-09-28T09:30:00+08:00")
        elif at > self.now + _FUTURE:
            bad("at", text["at"], "不能晚于当前时间")
        amount = None
        if text["amount"]:
            amount = _amount(text["amount"])
            if amount is None:
                bad("amount", text["amount"], "应为不小于 0 的金额（元），至多两位小数，如 20000 或 20000.50")
        for name, limit in (("penalty_type", 100), ("discretion", 200)):
            if len(text[name]) > limit:
                bad(name, text[name][:60], f"至多 {limit} 个字符")
        key = text["idempotency_key"]
        if self.source == "api":
            if not key:
                bad("idempotency_key", "", "每个事件须有幂等键（Idempotency-Key），重发时不变")
            elif len(key) > KEY_CHARS or not key.isprintable():
                bad("idempotency_key", key, f"至多 {KEY_CHARS} 个可打印字符")
        if len(problems) > before:
            return None
        digest = hashlib.sha256(audit.canonical([
            jurisdiction.code, text["case"], text["item_code"], text["step"], action, text["actor"],
            at.astimezone(dt.UTC).isoformat(), str(amount) if amount is not None else "", text["penalty_type"],
            text["discretion"]]).encode("utf-8")).hexdigest()
        key = f"api:{self.tag}:{key}" if self.source == "api" else f"file:{digest}"
        w = self.word
        return Row(number, text["case"], w(text["item_code"]), jurisdiction, w(text["step"]), action,
                   w(text["actor"]), at, amount, w(text["penalty_type"]), w(text["discretion"]), key, digest)

    def refusal(self, row: Row) -> str:
        """Why this actor may not push this row ("" when they may)."""
        item = self.item(row.jurisdiction, row.item_code)
        if self.role not in (Role.ADMIN, Role.REVIEWER, Role.CLERK):
            return f"{scope._name(self.actor)}不能推送办件事件：需要部门经办人、审核人员或管理员"
        if item is not None:
            if not cases.may_act(self.actor, item.organisation_id, item.jurisdiction_id):
                return (f"{scope._name(self.actor)}无权推送{item.organisation.name}的事项 {item.code} 的办件事件："
                        f"经办人只能推送本部门事项的事件，审核人员只能推送本辖区的")
            return ""
        if self.role == Role.CLERK:
            org = self.actor.organisation
            if org is None or org.jurisdiction_id != row.jurisdiction.pk:
                return f"{scope._name(self.actor)}无权推送{row.jurisdiction.name}的办件事件"
            return ""
        if not scope.covers_jurisdiction(self.actor, row.jurisdiction):
            return f"{scope._name(self.actor)}无权推送{row.jurisdiction.name}的办件事件"
        return ""


def _time(text: str) -> dt.datetime | None:
    try:
        at = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    if at.tzinfo is None or at.utcoffset() is None or not 2000 <= at.year <= 2100:
        return None
    return at.astimezone(dt.UTC)


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0 or value > _MAX_AMOUNT or value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------------------------
# recording

_UPDATED = ["state", "status", "closed_at", "result", "event_count", "suspensions", "suspended_since",
            "suspension_reason", "due", "due_explained"]


def record_events(actor, rows: Iterable, *, source: str, file: str = "", progress=None) -> Result:
    """Check and store pushed events. `rows` yields (row number, {field: text}) pairs; `source`
    is "api" or "file". Raises InvalidInput (nothing stored) for a bad row, PermissionDenied for a
    row outside the actor's scope (recorded on the log); returns the counts (and per row, for the
    API, what happened)."""
    if source not in ("api", "file"):
        raise ValueError(source)
    reader = _Reader(actor, source, file)
    groups: dict[tuple[int, str], list[Row]] = defaultdict(list)
    order: list[tuple[int, str]] = []  # API: each row's place, to answer in order
    problems: list[Problem] = []
    refused: list[tuple[int, str]] = []
    count = 0
    for number, raw in rows:
        count += 1
        if source == "api" and count > MAX_BATCH:
            raise InvalidInput([Problem(file, number, "events", str(count), f"一批至多 {MAX_BATCH} 个事件")])
        row = reader.check(number, raw, problems)
        if len(problems) >= MAX_PROBLEMS:
            break
        if row is None:
            continue
        why = reader.refusal(row)
        if why:
            refused.append((number, why))
            continue
        groups[(row.jurisdiction.pk, row.case)].append(row)
        if source == "api":
            order.append((number, row.key))
    if problems:
        raise InvalidInput(problems)
    if refused:
        with transaction.atomic():
            audit.append(actor, "events.refused", f"events:{source}",
                         {"file": file, "rows": [n for n, _w in refused[:100]], "reason": refused[0][1]})
        raise PermissionDenied(f"{file + ' ' if file else ''}第{refused[0][0]}行：{refused[0][1]}"
                               + (f"（另有 {len(refused) - 1} 行同样被拒绝）" if len(refused) > 1 else ""))
    cases_sent = len(groups)
    for attempt in (1, 2):
        try:
            return _store(actor, reader, groups, order, source, file, progress)
        except _OutOfScope as exc:  # a case of another department, found while storing: nothing stored
            with transaction.atomic():
                audit.append(actor, "events.refused", f"events:{source}", {"file": file, "rows": [exc.row],
                                                                           "reason": exc.why})
            raise PermissionDenied(f"{file + ' ' if file else ''}第{exc.row}行：{exc.why}") from None
        except IntegrityError:
            # another batch stored the same case or key meanwhile: once more, seeing it, unless rows
            # were already let go of (a file's chunks are freed as they are stored)
            reader.charts.clear()  # pinned-chart rows made in the rolled-back transaction are gone
            if attempt == 2 or len(groups) != cases_sent:
                raise Conflict("另一批次正在同时写入相同的办件或事件，本批次未写入任何内容；请稍后重试") from None


def _existing_keys(keys: list[str]) -> dict[str, str]:
    """Stored keys among `keys`, with the digest of what was stored under them."""
    found, partitioned = {}, bool(keys) and partitions.is_partitioned()
    for i in range(0, len(keys), 500):
        events = CaseEvent.objects.filter(idempotency_key__in=keys[i:i + 500])
        if partitioned:
            # events partitioned by month: the keys' own table says which were stored and when (one
            # probe each, not one per partition), and only those events are read, in their partitions
            claimed = list(CaseEventKey.objects.filter(key__in=keys[i:i + 500]).values_list("event_id", "at"))
            if not claimed:
                continue
            events = CaseEvent.objects.filter(id__in=[c[0] for c in claimed], at__in={c[1] for c in claimed})
        for key, payload in events.values_list("idempotency_key", "payload"):
            found[key] = (payload or {}).get("digest", "")
    return found


def _store(actor, reader: _Reader, groups, order, source, file, progress) -> Result:
    result = Result()
    seen = _existing_keys([r.key for rows in groups.values() for r in rows])
    stored_keys = set(seen)
    mismatched = []
    for rows in groups.values():
        for row in rows:
            if seen.setdefault(row.key, row.digest) not in ("", row.digest):
                mismatched.append(Problem(file, row.number, "idempotency_key", row.key.split(":", 2)[-1],
                                          "此幂等键已用于内容不同的事件：重发时内容须完全相同，新事件请用新键"))
    if mismatched:
        raise InvalidInput(mismatched)
    digest = hashlib.sha256()
    logged: list[tuple] = []
    by_key: dict[str, CaseEvent] = {}
    with transaction.atomic():
        keys = sorted(groups)  # cases locked in one order by every batch: two batches never deadlock
        for i in range(0, len(keys), CASES_A_CHUNK):
            chunk = keys[i:i + CASES_A_CHUNK]
            _store_chunk(actor, reader, chunk, groups, stored_keys, source, file, result, digest, logged, by_key)
            if progress is not None:
                progress(sum(len(groups.pop(k)) for k in chunk if k in groups))
            else:
                for k in chunk:
                    groups.pop(k, None)
        result.sha256 = digest.hexdigest()
        entries = ((f"case.{action}", f"case:{number}", {"seq": seq, "step": step, "step_id": step_id,
                                                         "action": action, "source": source, "by": by, "flags": flags})
                   for number, seq, step, step_id, action, by, flags in logged)
        while chunk := list(islice(entries, LOG_CHUNK)):  # the log's rows come back: a chunk at a time
            audit.append_many(actor, chunk)
        audit.append(actor, f"events.{source}", f"events:{source}",
                     {"file": file, "stored": result.stored, "duplicates": result.duplicates,
                      "cases_opened": result.cases_opened, "flagged": dict(result.flagged),
                      "sha256": result.sha256})
    if source == "api":
        dup_keys = [k for _n, k in order if k not in by_key]
        stored = {e.idempotency_key: e for i in range(0, len(dup_keys), 500) for e in CaseEvent.objects.filter(
            idempotency_key__in=dup_keys[i:i + 500]).select_related("case")}
        taken = set()
        for number, key in order:
            if key in by_key and key not in taken:
                taken.add(key)
                result.outcomes.append((number, "stored", by_key[key]))
            else:
                result.outcomes.append((number, "duplicate", by_key.get(key) or stored.get(key)))
    return result


def _store_chunk(actor, reader, chunk, groups, stored_keys, source, file, result, digest, logged, by_key):
    numbers = {k: external_number(groups[k][0].jurisdiction.code, k[1]) for k in chunk}
    existing = {c.number: c for c in Case.objects.select_for_update(of=("self",)).select_related(
        "item", "organisation").filter(number__in=list(numbers.values()))}
    last = dict(CaseEvent.objects.filter(case__in=list(existing.values())).values("case_id").annotate(
        m=Max("at")).values_list("case_id", "m")) if existing else {}
    new_cases, events, by = [], [], audit.actor_name(actor)
    for k in chunk:
        rows = [r for r in groups[k] if r.key not in stored_keys]
        result.duplicates += len(groups[k]) - len(rows)
        if not rows:
            continue
        rows.sort(key=lambda r: (r.at, r.number))
        kept = []
        for r in rows:  # twice in the same batch: the first is stored
            if r.key in stored_keys:
                result.duplicates += 1
            else:
                stored_keys.add(r.key)
                kept.append(r)
        case = existing.get(numbers[k])
        if case is None:
            case, pinned = _open(reader, kept[0], numbers[k])
            new_cases.append(case)
            result.cases_opened += 1
        else:
            if not cases.may_act(actor, case.organisation_id, case.jurisdiction_id):
                raise _OutOfScope(kept[0].number, f"办件 {case.number} 属于{case.organisation.name}，"
                                                  f"{scope._name(actor)}无权推送它的事件")
            pinned = cases.pinned(case.flowchart_id) if case.flowchart_id else None
        if case.item_code and case.item_code != kept[0].item_code or any(r.item_code != kept[0].item_code
                                                                           for r in kept):
            bad = next(r for r in kept if r.item_code != (case.item_code or kept[0].item_code))
            raise InvalidInput([Problem(file, bad.number, "item_code", bad.item_code,
                                        f"办件 {k[1]} 是事项 {case.item_code or kept[0].item_code} 的办件，"
                                        f"一个办件只能属于一个事项")])
        replay = Replay(case, pinned, last.get(case.pk), reader)
        item = case.item if case.item_id else None
        for r in kept:
            flags = []
            if item is None or cases.in_force_problem(item, beijing_date(r.at)):
                flags.append(UNLISTED)
            if replay.last_at is not None and r.at < replay.last_at:
                flags.append(LATE)
            replay.last_at = max(replay.last_at or r.at, r.at)
            step, step_id, task_id = replay.apply(r, flags)
            case.event_count += 1
            payload = {"by": by, "row": r.number, **({"file": file} if file else {}),
                       **({"digest": r.digest} if source == "api" else {})}
            event = CaseEvent(case=case, seq=case.event_count, step=step[:300], step_id=step_id[:255],
                              task_id=task_id, action=r.action, actor=r.actor, at=r.at, payload=payload,
                              source=source, idempotency_key=r.key, flags=flags, amount=r.amount,
                              penalty_type=r.penalty_type, discretion=r.discretion)
            events.append(event)
            digest.update(r.digest.encode())
            result.stored += 1
            result.flagged.update(flags)
            logged.append((case.number, event.seq, event.step, event.step_id, r.action, r.actor, flags))
            if source == "api":
                by_key[r.key] = event
        replay.finish()
    Case.objects.bulk_create(new_cases, batch_size=500)
    for event in events:
        event.case_id = event.case.pk
    CaseEvent.objects.bulk_create(events, batch_size=1000)
    for event in events:  # a bulk insert sends no post_save: whoever evaluates stored events hears of each
        post_save.send(sender=CaseEvent, instance=event, created=True, update_fields=None, raw=False,
                       using=event._state.db)
    touched = {e.case_id for e in events}
    if existing:
        Case.objects.bulk_update([c for c in existing.values() if c.pk in touched], _UPDATED, batch_size=500)


def _open(reader: _Reader, first: Row, number: str) -> tuple[Case, dict | None]:
    """A new external case, pinned to the item's flowchart in force when the item is listed."""
    item = reader.item(first.jurisdiction, first.item_code)
    pinned, flowchart_id, state, version = None, None, "", None
    if item is not None:
        if item.pk not in reader.charts:  # the same for every case of the item in this batch
            found = cases._runnable(item)
            flowchart_id = PinnedFlowchart.objects.get_or_create(
                sha256=found["sha256"], defaults={"process_id": found["process_id"], "engine_xml": found["xml"]})[0].pk
            pinned = {"spec": found["spec"], "subprocesses": found["subprocesses"]}
            reader.charts[item.pk] = (pinned, flowchart_id, wf.dump(wf.start(pinned)), found["version"])
        pinned, flowchart_id, state, version = reader.charts[item.pk]
        organisation_id = item.organisation_id
    else:
        organisation_id = _organisation_for_unlisted(reader, first, number)
    kind, days, unit = deadlines.pin_limit(item) if item is not None else ("", None, "")
    case = Case(number=number, item=item, item_code=first.item_code, source=CaseSource.EXTERNAL,
                item_version=item.version if item is not None else 0, flowchart_version=version,
                flowchart_id=flowchart_id, organisation_id=organisation_id, jurisdiction=first.jurisdiction,
                accepted_at=first.at, accepted_by=first.actor[:150], limit_kind=kind, limit_days=days,
                limit_unit=unit, state=state, event_count=0)
    if days is not None:
        due(case, reader)
    return case, pinned


def _organisation_for_unlisted(reader: _Reader, row: Row, number: str) -> int:
    """A power not on the list has no department of its own: the clerk's who pushes it."""
    if reader.role == Role.CLERK and reader.actor.organisation_id:
        return reader.actor.organisation_id
    raise InvalidInput([Problem(reader.file, row.number, "item_code", row.item_code,
                                f"{row.jurisdiction.name}的清单中没有此事项：未列入清单事项的新办件（{number}）须由"
                                f"实施部门的经办人账号推送，以确定部门")])
