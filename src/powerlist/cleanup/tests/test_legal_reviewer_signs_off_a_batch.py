"""合法性审查 and 专家论证: a legal reviewer signs off the decisions of a campaign in a batch, an
expert signs off the expert stage; clerks, plain reviewers, the other stage's signers and
another county's legal reviewer are refused; an objection needs a comment; a bad code in a batch
writes nothing; publication is blocked while a kept item lacks legality approval or carries an
objection, and again when the decision changes after the sign-off."""

import json

import pytest
from django.core.management.base import CommandError

from powerlist.cleanup.models import Signoff
from powerlist.cleanup.services import decisions, stages
from powerlist.cleanup.tests.campaign_files import run
from powerlist.cleanup.tests.draft_campaign import EDU, MARKET, draft_campaign, stage_people
from powerlist.core.errors import InvalidInput, PermissionDenied
from powerlist.core.models import AuditEntry


@pytest.fixture
def people(users, county):
    return stage_people(users, county)


@pytest.fixture
def campaign(people, tmp_path):
    return draft_campaign(people["reviewer"], {EDU: people["clerk"], MARKET: people["market_clerk"]}, tmp_path)


def status_of(campaign, stage):
    by_entry = stages.states(campaign)
    from powerlist.cleanup.models import Entry

    return {e.item.code: by_entry[e.pk][stage].status for e in Entry.objects.filter(campaign=campaign)
            .select_related("item")}


def test_legal_reviewer_signs_off_a_batch(campaign, people):
    signed = stages.sign_off(people["legal"], campaign, ["E1", "E2", "M1"], "legality", "approved")
    assert sorted(s.entry.item.code for s in signed) == ["E1", "E2", "M1"]
    assert {(s.round, s.verdict, s.signed_by) for s in signed} == {(1, "approved", "legal1")}
    assert status_of(campaign, "legality") == {"E1": "approved", "E2": "approved", "M1": "approved",
                                               "E3": "missing", "M2": "missing"}
    entry = AuditEntry.objects.filter(action="campaign.signoff").get()
    assert json.loads(entry.payload)["codes"] == ["E1", "E2", "M1"]
    # signing again in the same round replaces the verdict (an objection, with its comment)
    stages.sign_off(people["legal"], campaign, ["M1"], "legality", "objected", comment="处罚依据条款引用错误")
    assert Signoff.objects.get(entry__item__code="M1").comment == "处罚依据条款引用错误"
    assert status_of(campaign, "legality")["M1"] == "objected"
    # the expert signs the expert stage
    stages.sign_off(people["expert"], campaign, ["E1"], "expert", "approved")
    assert status_of(campaign, "expert")["E1"] == "approved"
    assert stages.counts(campaign)["legality"] == {"missing": 2, "approved": 2, "objected": 1, "stale": 0}


@pytest.mark.parametrize("who,stage", [("clerk", "legality"), ("reviewer", "legality"), ("reviewer", "expert"),
                                       ("inspector", "legality"), ("expert", "legality"), ("legal", "expert"),
                                       ("other_legal", "legality")])
def test_clerk_or_plain_reviewer_cannot_sign_off(campaign, people, who, stage):
    with pytest.raises(PermissionDenied):
        stages.sign_off(people[who], campaign, ["E1"], stage, "approved")
    assert not Signoff.objects.exists()


def test_administrator_signs_off_either_stage(campaign, people):
    stages.sign_off(people["admin"], campaign, ["E1"], "expert", "approved")
    stages.sign_off(people["admin"], campaign, ["E1"], "legality", "approved")
    assert Signoff.objects.count() == 2


def test_objection_without_comment_is_refused(campaign, people):
    with pytest.raises(InvalidInput, match="异议须写明意见"):
        stages.sign_off(people["legal"], campaign, ["E1"], "legality", "objected", comment="   ")
    assert not Signoff.objects.exists()


def test_batch_with_an_unknown_or_undecided_code_writes_nothing(campaign, people, tmp_path):
    with pytest.raises(InvalidInput, match="NOPE"):
        stages.sign_off(people["legal"], campaign, ["E1", "NOPE"], "legality", "approved")
    with pytest.raises(InvalidInput, match="stage|阶段"):
        stages.sign_off(people["legal"], campaign, ["E1"], "legal", "approved")
    assert not Signoff.objects.exists()
    assert not AuditEntry.objects.filter(action="campaign.signoff").exists()


def test_publication_blockers_list_an_item_lacking_legality_approval(campaign, people):
    blockers = stages.publication_blockers(campaign)
    # kept and amended items need approval; cancelled and delegated ones do not
    assert [b.split(" ")[0] for b in blockers] == ["E1", "E2", "M1"]
    assert "尚未通过合法性审查" in blockers[0]
    stages.sign_off(people["legal"], campaign, ["E1", "E2", "M1"], "legality", "approved")
    assert stages.publication_blockers(campaign) == []
    # an expert's objection on a delegated item blocks too
    stages.sign_off(people["expert"], campaign, ["M2"], "expert", "objected", comment="街道不具备执法能力")
    (blocker,) = stages.publication_blockers(campaign)
    assert blocker.startswith("M2 ") and "专家论证有异议" in blocker and "街道不具备执法能力" in blocker
    # the reviewer changes M2's decision: the objection no longer stands, and E1's new decision
    # was never signed, so it must be reviewed again
    decisions.decide(people["reviewer"], campaign, [{"code": "M2", "kind": "保留"}, {"code": "E1", "kind": "保留",
                                                                                    "comment": "再议"}])
    assert [b.split(" ")[0] for b in stages.publication_blockers(campaign)] == ["E1", "M2"]
    assert "须重新审查" in stages.publication_blockers(campaign)[0]
    # a new round: every kept item needs the legality review's approval again
    decisions.start_next_round(people["reviewer"], campaign)
    campaign.refresh_from_db()
    assert [b.split(" ")[0] for b in stages.publication_blockers(campaign)] == ["E1", "E2", "M1", "M2"]


def test_legal_reviewer_signs_off_from_the_console(campaign, people):
    out = run("signoff", "--campaign", str(campaign.pk), "--stage", "legality", "--verdict", "approved",
              "--all", "--as", "legal1")
    assert "5" in out.splitlines()[-1]
    assert Signoff.objects.filter(stage="legality", verdict="approved").count() == 5
    run("signoff", "--campaign", str(campaign.pk), "--stage", "expert", "--verdict", "objected",
        "--code", "E1", "--code", "M1", "--comment", "需听证", "--as", "expert1")
    assert set(Signoff.objects.filter(stage="expert").values_list("entry__item__code", flat=True)) == {"E1", "M1"}
    with pytest.raises(CommandError, match="异议须写明意见"):
        run("signoff", "--campaign", str(campaign.pk), "--stage", "expert", "--verdict", "objected",
            "--code", "E2", "--as", "expert1")
    with pytest.raises(CommandError, match="无权签署"):
        run("signoff", "--campaign", str(campaign.pk), "--stage", "legality", "--verdict", "approved",
            "--code", "E2", "--as", "edu_clerk")
    with pytest.raises(CommandError, match="--code|--all"):
        run("signoff", "--campaign", str(campaign.pk), "--stage", "legality", "--verdict", "approved",
            "--as", "legal1")


def test_approving_all_leaves_an_objection_standing_until_the_item_is_named(campaign, people):
    run("signoff", "--campaign", str(campaign.pk), "--stage", "legality", "--verdict", "objected",
        "--code", "E1", "--comment", "依据不足", "--as", "legal1")
    out = run("signoff", "--campaign", str(campaign.pk), "--stage", "legality", "--verdict", "approved",
              "--all", "--as", "legal1")
    assert "有异议的 1 项未改动" in out and out.splitlines()[-1] == "4"
    assert Signoff.objects.get(stage="legality", entry__item__code="E1").verdict == "objected"
    run("signoff", "--campaign", str(campaign.pk), "--stage", "legality", "--verdict", "approved",
        "--code", "E1", "--as", "legal1")
    assert Signoff.objects.get(stage="legality", entry__item__code="E1").verdict == "approved"
