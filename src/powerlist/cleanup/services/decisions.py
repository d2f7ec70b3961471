"""Review rounds (三上三下): the reviewer decides per item (alone or in batches, from the back
office or a file), the department replies, revises or accepts, the next round starts. Every
round's decisions stay; an entry's final decision is its latest."""

from django.db import transaction
from django.utils import timezone

from powerlist.catalog.documents import DOCUMENT_FIELDS, changed_fields, clean_document, document_of
from powerlist.catalog.services import items as item_services
from powerlist.catalog.services import requests as request_services
from powerlist.cleanup import field_changes
from powerlist.cleanup.models import (CANCEL_REASON_NAMES, DECISION_NAMES, CancelReason, Campaign, Decision,
                                      DecisionKind, Entry, Reply, ReplyRecord, Task)
from powerlist.cleanup.services.campaigns import get, require_open, require_reviewer, verify_reported
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.models import Role
from powerlist.core.services import audit

KIND_BY_NAME = {v: k for k, v in DECISION_NAMES.items()} | {k: k for k in DECISION_NAMES}
CANCEL_REASON_BY_NAME = {v: k for k, v in CANCEL_REASON_NAMES.items()} | {k: k for k in CANCEL_REASON_NAMES}
_DECISION_FIELDS = ["kind", "cancel_reason", "reason", "receiver", "merge_into", "changes", "comment", "decided_by",
                    "decided_at", "reply", "reply_text", "replied_by", "replied_at"]
CHANGES_COLUMN = "调整字段"  # the decision file's column, and what the problems name
_BATCH = 500  # rows a statement: within SQLite's bound variables for bulk_update's CASE


def _check(campaign: Campaign, entries: dict[str, Entry], number, d: dict, file: str) -> tuple[dict, list[Problem]]:
    """One decision as given ({"code", "kind", "cancel_reason", "reason", "receiver", "merge_into",
    "changes", "comment"}; kinds and reasons in Chinese or English) -> cleaned, problems."""
    problems = []
    code = str(d.get("code") or "").strip()
    kind = KIND_BY_NAME.get(str(d.get("kind") or "").strip())
    out = {"code": code, "kind": kind, "reason": str(d.get("reason") or "").strip(),
           "receiver": str(d.get("receiver") or "").strip(), "comment": str(d.get("comment") or "").strip(),
           "cancel_reason": "", "merge_into": None, "changes": {}}

    def bad(field, value, expected):
        problems.append(Problem(file, number, field, str(value), expected))

    entry = entries.get(code)
    if entry is None:
        bad("职权编码", code, "本次清理工作中没有这个职权编码的事项")
    if kind is None:
        bad("决定", d.get("kind") or "", "决定应为 保留、取消、下放、转移、整合 或 调整")
    if kind == DecisionKind.CANCEL:
        given = str(d.get("cancel_reason") or "").strip()
        out["cancel_reason"] = CANCEL_REASON_BY_NAME.get(given, "") if given else ""
        if given and not out["cancel_reason"]:
            bad("理由", given, "取消理由应为 无法律依据、不属于行政权力、已过时 或 其他")
        if not out["cancel_reason"]:
            # a file gives one 理由 column: a known reason word or its start, else 其他 with the text
            head = out["reason"].split("：")[0].split(":")[0].strip()
            out["cancel_reason"] = CANCEL_REASON_BY_NAME.get(head, CancelReason.OTHER if out["reason"] else "")
        if not out["reason"] and not given:
            bad("理由", "", "取消事项必须说明理由（无法律依据、不属于行政权力、已过时或其他）")
    if kind in (DecisionKind.DELEGATE, DecisionKind.TRANSFER) and not out["receiver"]:
        bad("承接", "", "下放须写明承接的层级，转移须写明承接的社会组织或行业组织")
    if kind == DecisionKind.MERGE:
        target = entries.get(str(d.get("merge_into") or "").strip())
        if target is None:
            bad("合并到", d.get("merge_into") or "", "整合须写明本次清理工作中承接事项的职权编码")
        elif target.item_id == getattr(entry, "item_id", None):
            bad("合并到", d.get("merge_into"), "事项不能整合到自身")
        else:
            out["merge_into"] = target.item
    given = d.get("changes")
    if kind is not None and kind != DecisionKind.AMEND and isinstance(given, str) and given.strip():
        bad(CHANGES_COLUMN, given, "只有“调整”决定填写调整字段")
    if kind == DecisionKind.AMEND and entry is not None:
        before = document_of(item_services.load(entry.item_id))
        changes = {}
        if isinstance(given, str):
            pairs, unread = field_changes.parse(given)
            for line, piece in unread:
                bad(CHANGES_COLUMN, piece, f"单元格第{line}行无法识别：{field_changes.EXPECTED}" if "\n" in given
                    else field_changes.EXPECTED)
            changes = field_changes.as_changes(pairs, before)
        elif isinstance(given, dict):
            changes, unknown = field_changes.parse_changes_of(given, before)
            for name in unknown:
                bad(CHANGES_COLUMN, name, "没有这个事项字段：" + field_changes.EXPECTED)
        elif given not in (None, ""):
            bad(CHANGES_COLUMN, str(given)[:60], field_changes.EXPECTED)
        doc, errors = clean_document(before | changes)
        for f, v, e in errors:
            bad(CHANGES_COLUMN, f"{field_changes.label(f)}：{v}", e)
        out["changes"] = {f: {"before": before[f], "after": doc[f]} for f in changed_fields(before, doc)}
        if not errors and not problems and not out["changes"] and not out["reason"]:
            bad(CHANGES_COLUMN, "" if not given else str(given)[:60],
                "调整须写明要修改的字段及新值（如 承诺时限：5，多项用换行或；分隔），或在理由中说明调整内容")
    return out, problems


def decide(actor, campaign: Campaign, decisions: list[dict], *, file: str = "") -> list[Decision]:
    """Record the reviewer's decisions for the current round, many at once: all or nothing.
    Each dict may carry "row" (its row in a file) for the report."""
    require_reviewer(actor, campaign, "作出审核决定")
    campaign = Campaign.objects.get(pk=campaign.pk)
    require_open(campaign)
    # the entries with their items' code and name only (a campaign holds thousands of full items)
    entries = {e.item.code: e for e in Entry.objects.filter(campaign=campaign).select_related("item").only(
        "campaign_id", "task_id", "item_id", "reported_at", "upper_item_id", "item__code", "item__name",
        "item__organisation_id", "item__jurisdiction_id")}
    cleaned, problems = [], []
    seen: dict[str, object] = {}
    for i, d in enumerate(decisions, start=1):
        number = d.get("row", i if file else None)
        out, more = _check(campaign, entries, number, d, file)
        if out["code"] in seen and out["code"]:
            more.append(Problem(file, number, "职权编码", out["code"], f"与第{seen[out['code']]}行重复"))
        seen[out["code"]] = number
        problems += more
        cleaned.append(out)
    if problems:
        raise InvalidInput(problems)
    now, name = timezone.now(), audit.actor_name(actor)
    with transaction.atomic():
        # the campaign's row locked: two batches of one campaign are written one after the other,
        # so the round's decisions read here are still the round's decisions when written
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_open(campaign)
        existing = {d.entry_id: d for d in Decision.objects.filter(
            entry__campaign=campaign, round=campaign.current_round).select_for_update()}
        written, created, changed = [], [], []
        for out in cleaned:
            entry = entries[out["code"]]
            values = {"kind": out["kind"], "cancel_reason": out["cancel_reason"], "reason": out["reason"],
                      "receiver": out["receiver"], "merge_into": out["merge_into"], "changes": out["changes"],
                      "comment": out["comment"], "decided_by": name, "decided_at": now,
                      "reply": "", "reply_text": "", "replied_by": "", "replied_at": None}
            decision = existing.get(entry.pk)
            if decision is None:
                decision = Decision(entry=entry, round=campaign.current_round, **values)
                created.append(decision)
            else:
                for f, v in values.items():
                    setattr(decision, f, v)
                changed.append(decision)
            written.append(decision)
        Decision.objects.bulk_create(created, batch_size=_BATCH)
        Decision.objects.bulk_update(changed, _DECISION_FIELDS, batch_size=_BATCH)
        Task.objects.filter(campaign=campaign, pk__in={entries[o["code"]].task_id for o in cleaned}).exclude(
            state=Task.State.ACCEPTED).update(state=Task.State.IN_REVIEW)
        audit.append(actor, "campaign.decide", f"campaign:{campaign.pk}", {
            "round": campaign.current_round, "file": file, "count": len(cleaned),
            "decisions": [[o["code"], o["kind"]] for o in cleaned]})
    return written


def start_next_round(actor, campaign: Campaign) -> Campaign:
    """The next round (第N+1轮): the previous rounds' decisions stay as they were."""
    require_reviewer(actor, campaign, "开始下一轮审核")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        require_open(campaign)
        campaign.current_round += 1
        campaign.save(update_fields=["current_round"])
        audit.append(actor, "campaign.next_round", f"campaign:{campaign.pk}", {"round": campaign.current_round})
    return campaign


def _entry(actor, campaign: Campaign, code: str) -> Entry:
    entry = Entry.objects.filter(campaign=campaign, item__code=code).select_related(
        "item", "task__organisation").first()
    if entry is None or not scope.can_edit_organisation_records(actor, entry.item.organisation):
        # another department's submission is not even confirmed to exist
        raise NotFound(f"本次清理工作中没有职权编码为 {code} 的本部门事项")
    return entry


def revision_document(campaign: Campaign, round_no: int) -> str:
    """What the ledger records as the authority of a department's revision in a round: the
    workbench finds the round's revisions by it."""
    return f"清理工作“{campaign.title[:200]}”第{round_no}轮答复（编号{campaign.pk}）"


def revisions(campaign: Campaign, entry: Entry) -> dict[int, list]:
    """round -> the department's revisions of the item in that round (ledger records, oldest first)."""
    from powerlist.catalog.models import ChangeRecord

    wanted = {revision_document(campaign, n): n for n in range(1, campaign.current_round + 1)}
    out: dict[int, list] = {}
    for rec in ChangeRecord.objects.filter(item_id=entry.item_id, via="cleanup", document__in=list(wanted)
                                           ).order_by("at", "id"):
        out.setdefault(wanted[rec.document], []).append(rec)
    return out


def require_department(actor, entry: Entry) -> None:
    """Only the item's own department answers the review (its clerks): the reviewer decides and
    cannot also answer for the department, nor can another department."""
    org = entry.task.organisation
    if getattr(actor, "role", None) == Role.CLERK and not getattr(actor, "is_superuser", False) \
            and actor.organisation_id == org.pk:
        return
    raise PermissionDenied(f"{audit.actor_name(actor)}无权答复{entry.item.code}的审核决定：答复由事项所属部门"
                           f"（{org.name}）的经办人作出，审核人员和管理员只作审核决定，不能代部门答复")


def replies(decision: Decision) -> list[ReplyRecord]:
    """Every reply of the department to one decision, oldest first (the last is the current)."""
    return list(decision.replies.order_by("replied_at", "id"))


def reply(actor, campaign: Campaign, code: str, answer: str, *, text: str = "", changes: dict | None = None
          ) -> Decision:
    """The department answers the current round's decision on its item: accept (同意), object
    (有异议, with its text) or revise (修改事项: through the item service, ledgered)."""
    campaign = get(actor, campaign.pk)
    require_open(campaign)
    entry = _entry(actor, campaign, code)
    require_department(actor, entry)
    decision = entry.decisions.order_by("-round").first()
    if decision is None:
        raise InvalidInput([Problem("", None, "职权编码", code, "该事项尚无审核决定，无需答复")])
    if answer not in Reply.values:
        raise InvalidInput([Problem("", None, "reply", answer, "答复应为 accept、revise 或 object")])
    if answer == Reply.OBJECT and not text.strip():
        raise InvalidInput([Problem("", None, "reply_text", "", "提出异议须说明理由")])
    with transaction.atomic():
        if answer == Reply.REVISE:
            if not changes or not isinstance(changes, dict):
                raise InvalidInput([Problem("", None, "changes", "", "修改事项须给出要修改的字段")])
            before = document_of(item_services.load(entry.item_id))
            changes, unknown = field_changes.parse_changes_of(changes, before)
            if unknown:  # never “已修改” while nothing changed
                raise InvalidInput([Problem("", None, f"changes.{k}", "", "没有这个事项字段（写中文列名如 事项名称、设定依据、承诺时限，"
                                            "或导出文件的英文字段如 name、promised_limit_days、citations）")
                                    for k in unknown])
            cleaned, invalid = clean_document(before | changes)
            if not invalid and cleaned == before:  # invalid values: the item service names them
                raise InvalidInput([Problem("", None, "changes", "", "所填内容与事项现有内容相同，没有修改任何字段")])
            # an item of the published list (campaign open --include-list) stays in force: a clerk's
            # revision of it is filed as a change request (动态调整申请) for the reviewer, as anywhere
            outcome = request_services.change_item(actor, entry.item, changes,
                                                   reason=text or f"清理工作第{decision.round}轮修改",
                                                   document=revision_document(campaign, decision.round),
                                                   via="cleanup")
            if outcome.pending:
                text = (text.strip() + "；" if text.strip() else "") + \
                    f"已提交动态调整申请（编号 {outcome.request.pk}），经审核人员批准后生效"
            elif document_of(outcome.item) == before:
                raise InvalidInput([Problem("", None, "changes", "", "所填内容与事项现有内容相同，没有修改任何字段")])
            elif "citations" in changes:
                # the new basis is verified as it is saved, as a self-report's on arrival: the item
                # page never asks the department to run a console command
                verify_reported(campaign, [entry.item.code])
        # every reply stays (ReplyRecord); the decision holds the current one, which the figures count
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        decision.reply, decision.reply_text = answer, text.strip()
        decision.replied_by, decision.replied_at = audit.actor_name(actor), timezone.now()
        decision.save(update_fields=["reply", "reply_text", "replied_by", "replied_at"])
        ReplyRecord.objects.create(decision=decision, answer=answer, text=decision.reply_text,
                                   replied_by=decision.replied_by, replied_at=decision.replied_at)
        audit.append(actor, "campaign.reply", f"campaign:{campaign.pk}", {
            "code": code, "round": decision.round, "reply": answer, "text": decision.reply_text})
    return decision


def accept_task(actor, campaign: Campaign) -> Task:
    """The department accepts the review of its whole submission (确认)."""
    campaign = get(actor, campaign.pk)
    org_id = getattr(actor, "organisation_id", None)
    task = Task.objects.filter(campaign=campaign, organisation_id=org_id).first()
    if task is None:
        raise NotFound("您的部门没有参加本次清理工作")
    with transaction.atomic():
        task.state = Task.State.ACCEPTED
        task.save(update_fields=["state"])
        audit.append(actor, "campaign.accept", f"campaign:{campaign.pk}", {"organisation": task.organisation.name})
    return task


def final_decisions(campaign: Campaign) -> dict[int, Decision]:
    """entry id -> its latest decision."""
    out: dict[int, Decision] = {}
    for d in Decision.objects.filter(entry__campaign=campaign).select_related("merge_into").order_by("round"):
        out[d.entry_id] = d
    return out


def history(actor, campaign: Campaign, code: str) -> list[Decision]:
    """Every round's decision and reply on one item, oldest first."""
    entry = _entry(actor, get(actor, campaign.pk), code) if not scope.is_reviewer_or_admin(actor) else \
        Entry.objects.filter(campaign=campaign, item__code=code).first()
    if entry is None:
        raise NotFound(f"本次清理工作中没有职权编码为 {code} 的事项")
    return list(entry.decisions.order_by("round"))

