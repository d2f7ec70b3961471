"""Public forms without login (progress look-up, ratings, comments) are throttled per address,
counted in the database so that every server process sees the same count, and the address itself
is never stored."""

import datetime as dt

import pytest
from django.utils import timezone

from powerlist.core import throttle
from powerlist.core.models import Attempt

pytestmark = pytest.mark.django_db


def test_an_address_gets_its_allowance_and_no_more():
    assert [throttle.allow("203.0.113.7", "lookup", 3, 60) for _ in range(5)] == [True, True, True, False, False]
    assert throttle.allow("203.0.113.8", "lookup", 3, 60)  # another address has its own count
    assert throttle.allow("203.0.113.7", "rating", 3, 60)  # another scope too
    assert Attempt.objects.filter(scope="lookup").count() == 4  # refused attempts are not counted


def test_the_allowance_comes_back_when_the_window_has_passed():
    for _ in range(3):
        assert throttle.allow("198.51.100.1", "comment", 3, 60)
    Attempt.objects.update(at=timezone.now() - dt.timedelta(seconds=61))
    assert throttle.allow("198.51.100.1", "comment", 3, 60)
    assert Attempt.objects.filter(scope="comment").count() == 1  # the old attempts were pruned


def test_the_address_is_stored_only_as_a_keyed_hash(rf):
    request = rf.get("/", REMOTE_ADDR="192.0.2.44")
    assert throttle.allow(request, "lookup", 1, 60)
    stored = Attempt.objects.get()
    assert "192.0.2.44" not in stored.key and len(stored.key) == 64
    assert stored.key == throttle.address_hash("192.0.2.44")
