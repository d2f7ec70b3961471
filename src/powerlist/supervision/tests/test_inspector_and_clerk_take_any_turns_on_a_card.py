"""Whatever the carded clerk, a colleague and the inspector try on a card, in any order, the card
moves only along issued → appealed → revoked | upheld, with escalation (督办) from issued,
appealed or upheld; a refused try changes nothing; each accepted change is one entry on the
transparency log."""

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from django.utils import timezone

from powerlist.conftest import make_user
from powerlist.core.errors import Conflict, PermissionDenied
from powerlist.core.models import AuditEntry, Role
from powerlist.operation.models import Case, CaseSource
from powerlist.supervision import engine
from powerlist.supervision.models import Card
from powerlist.supervision.services import cards
from powerlist.supervision.tests.scene import push

NEXT = {  # (state, verb) -> the state it leads to; anything else is a Conflict
    ("issued", "appeal"): "appealed", ("issued", "escalate"): "escalated",
    ("appealed", "revoke"): "revoked", ("appealed", "uphold"): "upheld", ("appealed", "escalate"): "escalated",
    ("upheld", "escalate"): "escalated",
}
WHO = {"appeal": "person", "revoke": "inspector", "uphold": "inspector", "escalate": "inspector"}
numbers = itertools.count(1)


def a_card(county, department) -> Card:
    """An event for an item that is not on the list (清单外行权): a red card to whoever did it."""
    case = Case.objects.create(
        number=f"430304-EXT-{next(numbers):05d}", item=None, item_code="430304-JY-XX-999", source=CaseSource.EXTERNAL,
        item_version=1, organisation=department, jurisdiction=county, accepted_at=timezone.now(),
        accepted_by="edu_clerk")
    push(case, "", action="accept", actor="edu_clerk")
    engine.evaluate(case_ids=[case.pk])
    return Card.objects.get(case=case)


@pytest.fixture
def people(county, departments, users):
    return {"person": users["clerk"], "inspector": users["inspector"],
            "colleague": make_user("edu_clerk2", Role.CLERK, county, departments["岳塘区教育局"])}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tries=st.lists(st.tuples(st.sampled_from(["appeal", "revoke", "uphold", "escalate"]),
                                st.sampled_from(["right", "colleague"])), max_size=6))
def test_a_card_moves_only_along_its_states(county, departments, people, tries):
    card = a_card(county, departments["岳塘区教育局"])
    assert (card.severity, card.person, card.state) == ("red", "edu_clerk", "issued")
    state, accepted = "issued", 0
    for verb, who in tries:
        actor = people[WHO[verb]] if who == "right" else people["colleague"]
        try:
            if verb == "appeal":
                cards.appeal(actor, card.pk, "理由")
            elif verb == "escalate":
                cards.escalate(actor, card.pk, "理由")
            else:
                cards.decide_appeal(actor, card.pk, verb, "理由")
        except PermissionDenied:
            assert who == "colleague"
        except Conflict:
            assert who == "right" and (state, verb) not in NEXT
        else:
            assert who == "right" and (state, verb) in NEXT
            state, accepted = NEXT[(state, verb)], accepted + 1
        assert Card.objects.get(pk=card.pk).state == state
    assert AuditEntry.objects.filter(target=f"card:{card.pk}").count() == accepted
