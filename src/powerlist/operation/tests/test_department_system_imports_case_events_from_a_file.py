"""A department whose own case system handles its cases reports them by file
(`powerlist events import`): a case in order is stored without flags and closes; steps out of
order, skipped, unknown, or a power not on the list are stored and flagged, never dropped; the
same file twice stores nothing twice; a bad row refuses the whole file naming row and field; a
clerk may not report another department's cases. Every stored event is on the transparency log."""

import csv
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from powerlist.core.models import AuditEntry
from powerlist.operation.models import Case, CaseEvent
from powerlist.operation.services import cases, ingest

HEADER = ["case", "item_code", "jurisdiction", "step", "action", "actor", "at", "amount", "penalty_type",
          "discretion"]
ITEM = "430304-JY-XK-001"


def at(day: int, hour: int = 9) -> str:
    return f"2026-10-{day:02d}T{hour:02d}:00:00+08:00"


def in_order(case="A-001", item=ITEM, start=12) -> list[list[str]]:
    return [[case, item, "430304", "", "accept", "张科员", at(start), "", "", ""],
            [case, item, "430304", "受理", "complete", "张科员", at(start, 10), "", "", ""],
            [case, item, "430304", "审查", "complete", "李审查", at(start + 1), "", "", ""],
            [case, item, "430304", "Step_3", "complete", "王局长", at(start + 2), "", "", ""],  # 决定, by its id
            [case, item, "430304", "送达", "complete", "张科员", at(start + 3), "", "", ""],
            [case, item, "430304", "", "close", "张科员", at(start + 3, 11), "", "", ""]]


def write(path, rows, header=HEADER, bom=False):
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    return path


def run(path, user="edu_clerk") -> dict:
    from io import StringIO

    out = StringIO()
    call_command("events", "import", str(path), "--as", user, "--json", stdout=out)
    return json.loads(out.getvalue())


def events(case_number):
    return list(CaseEvent.objects.filter(case__number=case_number).order_by("seq"))


def test_a_case_pushed_in_order_is_stored_without_flags_and_closed(licence, users, tmp_path):
    rows = in_order()
    counts = run(write(tmp_path / "events.csv", [rows[3], rows[0], rows[5], rows[1], rows[4], rows[2]], bom=True))
    assert counts["stored"] == 6 and counts["duplicates"] == 0 and counts["flagged"] == {}
    assert counts["cases_opened"] == 1
    case = Case.objects.get(number="EXT-430304-A-001")  # the sender's number, in its own number space
    assert (case.source, case.item, case.item_code, case.status) == ("external", licence, ITEM, "closed")
    assert case.flowchart is not None and case.accepted_by == "张科员" and case.due is not None
    stored = events(case.number)
    assert [(e.seq, e.action, e.step, e.flags, e.source) for e in stored] == [
        (1, "accept", "", [], "file"), (2, "complete", "受理", [], "file"), (3, "complete", "审查", [], "file"),
        (4, "complete", "决定", [], "file"), (5, "complete", "送达", [], "file"), (6, "close", "", [], "file")]
    assert stored[3].step_id == "Step_3" and stored[1].actor == "张科员"
    assert all(e.idempotency_key.startswith("file:") for e in stored)
    logged = AuditEntry.objects.filter(target=f"case:{case.number}").order_by("seq")
    assert [e.action for e in logged] == ["case.accept"] + ["case.complete"] * 4 + ["case.close"]
    batch = AuditEntry.objects.get(action="events.file")
    assert json.loads(batch.payload)["stored"] == 6
    call_command("audit", "verify")  # the log appended in bulk verifies as one appended entry by entry


def test_an_acceptance_naming_its_step_is_no_deviation(licence, users, tmp_path):
    """A system that writes its acceptance as `accept` with step 受理 (or 申请) reports the opening:
    no flag, and the case goes on from 审查; an acceptance naming a later step is flagged."""
    rows = in_order("A-002")
    rows[0][3] = "受理"
    counts = run(write(tmp_path / "events.csv", rows))
    assert counts["flagged"] == {} and Case.objects.get(number="EXT-430304-A-002").status == "closed"
    late = in_order("A-003")
    late[0][3] = "送达"
    counts = run(write(tmp_path / "late.csv", late))
    assert events("EXT-430304-A-003")[0].flags == ["out-of-order"]


def test_a_second_approval_the_system_reports_satisfies_the_high_risk_step(licence, users, tmp_path):
    """审查 carries a high risk point that needs another person's 复核: a system reports it as
    `approve` before the completion; supervision finds the case without one, not the case with it."""
    from powerlist.catalog.models import RiskPoint
    from powerlist.core.scope import SYSTEM
    from powerlist.supervision.services import sweeps

    RiskPoint.objects.filter(item=licence, level="high").update(second_approver=True)
    approved = in_order("A-004")
    approved.insert(2, ["A-004", ITEM, "430304", "审查", "approve", "赵复核", at(12, 15), "", "", ""])
    assert run(write(tmp_path / "approved.csv", approved))["flagged"] == {}
    assert [e.action for e in events("EXT-430304-A-004")][:4] == ["accept", "complete", "approve", "complete"]
    run(write(tmp_path / "not.csv", in_order("A-005")))
    missing = {f["case_id"] for f in sweeps.sweep(SYSTEM, "430304") if f["rule"] == "second-approval-missing"}
    assert missing == {Case.objects.get(number="EXT-430304-A-005").pk}


def test_steps_out_of_order_skipped_or_unknown_are_stored_and_flagged(licence, users, tmp_path):
    rows = [["B-7", ITEM, "430304", "", "accept", "张科员", at(12), "", "", ""],
            ["B-7", ITEM, "430304", "决定", "complete", "王局长", at(12, 10), "", "", ""],  # skips 受理, 审查
            ["B-7", ITEM, "430304", "受理", "complete", "张科员", at(13), "", "", ""],
            ["B-7", ITEM, "430304", "盖章", "complete", "张科员", at(14), "", "", ""],  # not on the chart
            ["B-7", ITEM, "430304", "受理", "complete", "张科员", at(15), "", "", ""],  # done already
            ["B-7", ITEM, "430304", "", "resume", "张科员", at(15, 11), "", "", ""]]  # never suspended
    counts = run(write(tmp_path / "b.csv", rows))
    assert counts["stored"] == 6 and counts["flagged"] == {"out-of-order": 3, "unknown-step": 1}
    stored = events("EXT-430304-B-7")
    assert [e.flags for e in stored] == [[], ["out-of-order"], [], ["unknown-step"], ["out-of-order"],
                                         ["out-of-order"]]
    assert stored[1].step_id == "Step_3"  # the chart's step, although it was not ready
    case = Case.objects.get(number="EXT-430304-B-7")
    from powerlist.operation.services import cases

    assert cases.describe(case)["done"] == ["受理"]  # flagged events did not move the engine
    assert cases.describe(case)["ready"] == ["审查"]


def test_a_later_file_continues_the_case_and_flags_a_late_report(licence, users, tmp_path):
    rows = in_order("C-1")
    run(write(tmp_path / "first.csv", rows[:3]))
    counts = run(write(tmp_path / "second.csv", [rows[4], rows[3], ["C-1", ITEM, "430304", "", "extend", "王局长",
                                                                    at(12, 12), "", "", ""]]))
    assert counts["stored"] == 3 and counts["cases_opened"] == 0
    stored = events("EXT-430304-C-1")
    assert [(e.seq, e.step, e.flags) for e in stored][3:] == [(4, "", ["late"]), (5, "决定", []), (6, "送达", [])]
    assert Case.objects.get(number="EXT-430304-C-1").status == "closed"


def test_a_power_not_on_the_list_is_stored_and_flagged(licence, draft, users, tmp_path):
    rows = [["D-1", "430304-JY-XK-002", "430304", "", "accept", "张科员", at(12), "", "", ""],  # a draft
            ["D-2", "430304-JY-QT-404", "430304", "", "accept", "张科员", at(12), "", "", ""],  # unknown code
            ["D-2", "430304-JY-QT-404", "430304", "核查", "complete", "张科员", at(13), "", "", ""]]
    counts = run(write(tmp_path / "d.csv", rows))
    assert counts["stored"] == 3 and counts["flagged"] == {"unlisted-power": 3}
    unknown = Case.objects.get(number="EXT-430304-D-2")
    assert unknown.item is None and unknown.item_code == "430304-JY-QT-404" and unknown.flowchart is None
    assert unknown.organisation == users["clerk"].organisation
    assert Case.objects.get(number="EXT-430304-D-1").item == draft
    shown = cases.describe(unknown)  # what `case show --json` prints for it
    assert (shown["item"], shown["ready"], shown["done"]) == ("430304-JY-QT-404", [], ["核查"])


def test_the_same_file_imported_twice_stores_nothing_twice(licence, users, tmp_path):
    path = write(tmp_path / "twice.csv", in_order("E-1") + in_order("E-2", start=19))
    assert run(path)["stored"] == 12
    logged = AuditEntry.objects.count()
    again = run(path)
    assert (again["stored"], again["duplicates"], again["cases_opened"]) == (0, 12, 0)
    assert CaseEvent.objects.count() == 12 and Case.objects.count() == 2
    assert AuditEntry.objects.count() == logged + 1  # only the batch's own entry


@pytest.mark.parametrize("bad, field, row", [
    (["F-1", ITEM, "430304", "受理", "complete", "张科员", "2026-10-12T09:00:00", "", "", ""], "at", 3),
    (["F-1", ITEM, "430304", "受理", "approved", "张科员", at(12), "", "", ""], "action", 3),
    (["F-1", ITEM, "999999", "受理", "complete", "张科员", at(12), "", "", ""], "jurisdiction", 3),
    (["F-1", ITEM, "430304", "受理", "complete", "张科员", at(12), "-5", "", ""], "amount", 3),
    (["F-1", ITEM, "430304", "", "complete", "张科员", at(12), "", "", ""], "step", 3),
])
def test_a_bad_row_refuses_the_whole_file_naming_row_and_field(licence, users, tmp_path, bad, field, row):
    path = write(tmp_path / "bad.csv", [in_order("F-0")[0], bad, in_order("F-0")[1]])
    with pytest.raises(CommandError) as refused:
        run(path)
    assert f"bad.csv 第{row}行 [{field}]" in str(refused.value)
    assert not CaseEvent.objects.exists() and not Case.objects.exists()


def test_a_file_without_the_columns_is_refused(licence, users, tmp_path):
    path = write(tmp_path / "cols.csv", [in_order()[0][:7]], header=HEADER[:6] + ["time"])
    with pytest.raises(CommandError, match=r"cols.csv 第1行.*缺少列 at.*不认识的列 time"):
        run(path)


def test_a_clerk_may_not_report_another_departments_cases(licence, users, tmp_path):
    path = write(tmp_path / "other.csv", in_order("G-1"))
    with pytest.raises(CommandError, match="第2行.*无权推送岳塘区教育局的事项"):
        run(path, "market_clerk")
    assert not CaseEvent.objects.exists()
    assert AuditEntry.objects.filter(action="events.refused", actor="market_clerk").exists()
    assert run(path, "reviewer1")["stored"] == 6  # the county's reviewer may


def test_penalty_amount_type_and_discretion_are_kept(licence, users, tmp_path):
    rows = in_order("H-1")
    rows[3][7:] = ["20000.5", "罚款", "一般"]
    run(write(tmp_path / "h.csv", rows))
    decided = CaseEvent.objects.get(case__number="EXT-430304-H-1", step="决定")
    assert (str(decided.amount), decided.penalty_type, decided.discretion) == ("20000.50", "罚款", "一般")


def test_the_service_reads_rows_the_same_way(licence, users):
    rows = [dict(zip(HEADER, r)) for r in in_order("I-1")]
    result = ingest.record_events(users["clerk"], enumerate(rows, start=2), source="file", file="pushed")
    assert result.stored == 6 and not result.flagged


def test_a_clerk_may_not_add_to_another_departments_case_of_an_unlisted_power(licence, users, tmp_path):
    rows = [["K-1", "430304-JY-QT-404", "430304", "", "accept", "张科员", at(12), "", "", ""]]
    run(write(tmp_path / "k.csv", rows))
    more = [["K-1", "430304-JY-QT-404", "430304", "", "close", "赵科员", at(13), "", "", ""]]
    with pytest.raises(CommandError, match="第2行.*EXT-430304-K-1 属于岳塘区教育局"):
        run(write(tmp_path / "k2.csv", more), "market_clerk")
    assert CaseEvent.objects.count() == 1


def test_whoever_listens_for_stored_events_hears_of_each(licence, users, tmp_path):
    """Events are inserted in bulk (which sends no post_save by itself): supervision's live rules
    listen for post_save, so the import sends it for every stored event."""
    from django.db.models.signals import post_save

    heard = []

    def listener(sender, instance, created, **kwargs):
        heard.append((instance.pk, instance.case_id, created))

    post_save.connect(listener, sender=CaseEvent)
    try:
        run(write(tmp_path / "l.csv", in_order("L-1") + in_order("L-2")))
    finally:
        post_save.disconnect(listener, sender=CaseEvent)
    assert sorted(heard) == sorted((pk, case, True) for pk, case in CaseEvent.objects.values_list("pk", "case_id"))
    assert len(heard) == 12


def test_a_workbook_is_read_like_a_csv_file(licence, users, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in in_order("M-1"):
        ws.append(row)
    ws.append(["M-1", ITEM, 430304, "", "extend", "王局长", at(20), 100, "", ""])  # numbers typed as numbers
    wb.save(tmp_path / "m.xlsx")
    counts = run(tmp_path / "m.xlsx")
    assert counts["stored"] == 7 and counts["flagged"] == {"out-of-order": 1}  # extended after closing
    assert CaseEvent.objects.get(case__number="EXT-430304-M-1", seq=7).amount == 100


def test_the_console_says_what_was_stored_skipped_and_flagged(licence, users, tmp_path):
    from io import StringIO

    rows = in_order("N-1")
    path = write(tmp_path / "n.csv", rows[:2] + [["N-1", ITEM, "430304", "送达", "complete", "张科员", at(20), "", "",
                                                   ""]])
    out = StringIO()
    call_command("events", "import", str(path), "--as", "edu_clerk", stdout=out)
    assert out.getvalue().splitlines() == ["n.csv：存入 3 条，跳过重复 0 条，新建办件 1 件",
                                           "标记：不符合流程顺序（out-of-order）1 条"]
