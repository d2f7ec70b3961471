"""Public consultation (公开征求意见) on a campaign's draft list: the reviewer opens it for a
period; anyone comments on an item without logging in (throttled per address); a reviewer
moderates each comment before it is shown, replies to it and says whether it was adopted.

Comment text is stored exactly as written (no HTML stripping or trimming) and escaped wherever
it is shown; the optional name is personal data, masked on public pages; the address is kept
only as a keyed hash."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from powerlist.cleanup.models import Campaign, Comment, Entry
from powerlist.cleanup.services.campaigns import require_open, require_reviewer
from powerlist.core import throttle
from powerlist.core.errors import InvalidInput, NotFound, PermissionDenied, Problem
from powerlist.core.services import audit

SHANGHAI = ZoneInfo("Asia/Shanghai")
TEXT_MIN, TEXT_MAX, NAME_MAX, REPLY_MAX = 2, 2000, 100, 2000
THROTTLE_SCOPE = "consultation.comment"
# controls a person cannot have meant (and PostgreSQL refuses NUL); tab and line breaks are text
_CONTROLS = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r") | {"\x7f"}


class TooManyComments(PermissionDenied):
    """The address sent more comments than the allowance: wait and send again."""


def comment_allowance() -> tuple[int, int]:
    """(comments, per seconds) from one address: POWERLIST_COMMENTS_PER_HOUR, default 10."""
    return int(getattr(settings, "POWERLIST_COMMENTS_PER_HOUR", 10)), 3600


def _moment(value, field: str, end: bool, problems: list) -> dt.datetime | None:
    """A datetime, a date (the start of that day, or for the end its last moment) or ISO
    text, read in Asia/Shanghai when it carries no zone."""
    if isinstance(value, str):
        text = value.strip()
        try:
            value = dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
        except ValueError:
            problems.append(Problem("", None, field, text, "应为日期 YYYY-MM-DD 或时间 YYYY-MM-DD HH:MM"))
            return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=SHANGHAI)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time.max if end else dt.time(), tzinfo=SHANGHAI)
    problems.append(Problem("", None, field, str(value), "应为日期或时间"))
    return None


def is_open(campaign: Campaign, now: dt.datetime | None = None) -> bool:
    """Open for comment now: the campaign is under way and now is inside the period."""
    now = now or timezone.now()
    return bool(campaign.state == Campaign.State.OPEN and campaign.consultation_opens and campaign.consultation_closes
                and campaign.consultation_opens <= now < campaign.consultation_closes)


def phase(campaign: Campaign, now: dt.datetime | None = None) -> str:
    """none | scheduled | open | closed"""
    now = now or timezone.now()
    if not campaign.consultation_opens:
        return "none"
    if is_open(campaign, now):
        return "open"
    return "scheduled" if now < campaign.consultation_opens and campaign.state == Campaign.State.OPEN else "closed"


def open_consultation(actor, campaign: Campaign, opens, closes) -> Campaign:
    """Open the draft for comment from `opens` until `closes` (a date as `closes` means to the
    end of that day). Setting it again changes the period (the audit log keeps the earlier)."""
    require_reviewer(actor, campaign, "公开征求意见")
    problems = []
    start, end = _moment(opens, "opens", False, problems), _moment(closes, "closes", True, problems)
    if start and end and end <= start:
        problems.append(Problem("", None, "closes", str(closes), "截止时间应晚于开始时间"))
    if end and end <= timezone.now():
        problems.append(Problem("", None, "closes", str(closes), "截止时间应在今后"))
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("jurisdiction").get(pk=campaign.pk)
        require_open(campaign)
        before = [campaign.consultation_opens, campaign.consultation_closes]
        campaign.consultation_opens, campaign.consultation_closes = start, end
        campaign.save(update_fields=["consultation_opens", "consultation_closes"])
        audit.append(actor, "campaign.consultation_open", f"campaign:{campaign.pk}", {
            "opens": start.isoformat(), "closes": end.isoformat(),
            "before": [b.isoformat() if b else None for b in before]})
    return campaign


def close_consultation(actor, campaign: Campaign) -> Campaign:
    """End the consultation now (comments stay readable; no new ones)."""
    require_reviewer(actor, campaign, "结束征求意见")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().select_related("jurisdiction").get(pk=campaign.pk)
        now = timezone.now()
        if phase(campaign, now) not in ("open", "scheduled"):
            raise InvalidInput([Problem("", None, "campaign", str(campaign.pk), "该清理工作没有正在进行的征求意见")])
        campaign.consultation_opens = min(campaign.consultation_opens, now)
        campaign.consultation_closes = now
        campaign.save(update_fields=["consultation_opens", "consultation_closes"])
        audit.append(actor, "campaign.consultation_close", f"campaign:{campaign.pk}", {"closes": now.isoformat()})
    return campaign


def _text_problems(field: str, text: str, low: int, high: int, label: str) -> list[Problem]:
    if not isinstance(text, str):
        return [Problem("", None, field, str(text), f"{label}应为文字")]
    problems = []
    if len(text.strip()) < low:
        problems.append(Problem("", None, field, text, f"{label}至少 {low} 个字"))
    if len(text) > high:
        problems.append(Problem("", None, field, text[:60], f"{label}不超过 {high} 个字（现 {len(text)} 个）"))
    if any(c in _CONTROLS for c in text):
        problems.append(Problem("", None, field, "", f"{label}中含有控制字符"))
    return problems


def submit_comment(request_address, campaign: Campaign, code: str, text: str, name: str = "") -> Comment:
    """A member of the public comments on one item of the draft (no login). Refused when the
    consultation is not open, the item is not in the draft, the text is empty or too long, or
    the address has used up its allowance (TooManyComments). Waits for moderation."""
    name = name if isinstance(name, str) else ""
    problems = _text_problems("text", text, TEXT_MIN, TEXT_MAX, "意见")
    if name.strip():
        problems += _text_problems("name", name.strip(), 1, NAME_MAX, "姓名")
    campaign = Campaign.objects.filter(pk=campaign.pk).first()
    if campaign is None or not is_open(campaign):
        problems.insert(0, Problem("", None, "campaign", str(getattr(campaign, "pk", "")),
                                   "该清理工作目前不在征求意见期内，不能提交意见"))
    entry = Entry.objects.filter(campaign=campaign, item__code=str(code)).first() if campaign else None
    if campaign is not None and entry is None:
        problems.append(Problem("", None, "code", str(code), "征求意见稿中没有这个事项"))
    if problems:
        raise InvalidInput(problems)
    limit, per = comment_allowance()
    if not throttle.allow(request_address, THROTTLE_SCOPE, limit, per):
        raise TooManyComments(f"同一地址一小时内最多提交 {limit} 条意见，请稍后再提交")
    with transaction.atomic():
        comment = Comment.objects.create(campaign=campaign, entry=entry, text=text, name=name.strip(),
                                         address_hash=throttle.address_hash(request_address),
                                         created_at=timezone.now())
        # nothing personal on the transparency log: which item, when; not the name or the text
        audit.append("public", "campaign.comment", f"campaign:{campaign.pk}", {"comment": comment.pk, "code": code})
    return comment


def _locked_comments(actor, comment_ids, what: str) -> list[Comment]:
    try:
        ids = sorted({int(i) for i in comment_ids})
    except (TypeError, ValueError):
        raise InvalidInput([Problem("", None, "comment", str(comment_ids), "意见编号应为整数")]) from None
    if not ids:
        raise InvalidInput([Problem("", None, "comment", "", "请选择至少一条意见")])
    comments = list(Comment.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    missing = sorted(set(ids) - {c.pk for c in comments})
    if missing:
        raise NotFound(f"没有编号为 {'、'.join(map(str, missing))} 的意见")
    campaigns = {c.campaign_id for c in comments}
    for campaign in Campaign.objects.filter(pk__in=campaigns).select_related("jurisdiction"):
        require_reviewer(actor, campaign, what)
    return comments


def moderate(actor, comment_ids, action: str) -> list[Comment]:
    """Show or hide comments (审核), all or nothing; a shown comment can be hidden again."""
    states = {"show": Comment.State.SHOWN, "hide": Comment.State.HIDDEN}
    if action not in states:
        raise InvalidInput([Problem("", None, "action", str(action), "应为 show（公开）或 hide（不公开）")])
    now, name = timezone.now(), audit.actor_name(actor)
    with transaction.atomic():
        comments = _locked_comments(actor, comment_ids, "审核公众意见")
        Comment.objects.filter(pk__in=[c.pk for c in comments]).update(
            state=states[action], moderated_by=name, moderated_at=now)
        for campaign_id in sorted({c.campaign_id for c in comments}):
            audit.append(actor, "campaign.comment_moderate", f"campaign:{campaign_id}", {
                "action": action, "comments": [c.pk for c in comments if c.campaign_id == campaign_id]})
    return list(Comment.objects.filter(pk__in=[c.pk for c in comments]).order_by("pk"))


def reply(actor, comment_id, text: str, adopted: bool) -> Comment:
    """Answer a shown comment and say whether it was adopted (采纳); answering again replaces
    the answer."""
    if not isinstance(adopted, bool):
        raise InvalidInput([Problem("", None, "adopted", str(adopted), "应说明是否采纳")])
    problems = _text_problems("reply", text, 1, REPLY_MAX, "答复")
    if problems:
        raise InvalidInput(problems)
    with transaction.atomic():
        (comment,) = _locked_comments(actor, [comment_id], "答复公众意见")
        if comment.state != Comment.State.SHOWN:
            raise InvalidInput([Problem("", None, "comment", str(comment.pk), "只能答复已公开的意见：请先审核公开")])
        comment.reply, comment.adopted = text, adopted
        comment.replied_by, comment.replied_at = audit.actor_name(actor), timezone.now()
        comment.save(update_fields=["reply", "adopted", "replied_by", "replied_at"])
        audit.append(actor, "campaign.comment_reply", f"campaign:{comment.campaign_id}", {
            "comment": comment.pk, "adopted": adopted, "reply": text})
    return comment


COUNTS = {
    "received": Q(),
    "pending": Q(state=Comment.State.PENDING),
    "shown": Q(state=Comment.State.SHOWN),
    "hidden": Q(state=Comment.State.HIDDEN),
    "replied": ~Q(reply=""),
    "adopted": Q(adopted=True),
    "not_adopted": Q(adopted=False),
}


def _counters() -> dict:
    # named apart from the model's fields: an annotation called "adopted" would shadow the field
    return {f"n_{k}": Count("id", filter=q) for k, q in COUNTS.items()}


def counts(campaign: Campaign) -> dict[str, int]:
    """{"received", "pending", "shown", "hidden", "replied", "adopted", "not_adopted"}."""
    row = Comment.objects.filter(campaign=campaign).aggregate(**_counters())
    return {k: row[f"n_{k}"] for k in COUNTS}


def counts_by_item(campaign: Campaign) -> dict[str, dict[str, int]]:
    """item code -> the same counts, for the items that received comments."""
    rows = (Comment.objects.filter(campaign=campaign).values("entry__item__code").annotate(**_counters())
            .order_by("entry__item__code"))
    return {r["entry__item__code"]: {k: r[f"n_{k}"] for k in COUNTS} for r in rows}
