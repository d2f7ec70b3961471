"""An attacker tries password after password on the back-office sign-in page: after a few the
user name is locked out on that address, even the right password is refused, the page says so
in Chinese, and the lock-out and its lifting are in the audit log."""

import pytest
from django.core.management import call_command
from django.test import Client

from powerlist.core.models import AuditEntry

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password):
    return client.post("/admin/login/?next=/admin/", {"username": username, "password": password})


def signed_in(client) -> bool:
    return client.get("/admin/").status_code == 200


def actions(*names):
    return list(AuditEntry.objects.filter(action__in=names).order_by("seq").values_list("action", "actor", "target"))


def test_hundred_wrong_passwords_then_the_right_one_is_refused(users, settings):
    client = Client(REMOTE_ADDR="203.0.113.7")
    for i in range(100):
        sign_in(client, "edu_clerk", f"guess-{i}")
    refused = sign_in(client, "edu_clerk", PASSWORD)
    assert refused.status_code == 429 and not signed_in(client)
    clerk = f"user:{users['clerk'].pk}"
    assert actions("account.locked_out") == [("account.locked_out", "anonymous", clerk)]
    # the failures up to the lock-out are recorded; the refusals after it do not flood the log
    assert len(actions("account.login_failed")) == settings.AXES_FAILURE_LIMIT


def test_locked_out_page_tells_the_clerk_in_chinese_what_to_do(users, settings):
    client = Client(REMOTE_ADDR="203.0.113.8")
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "edu_clerk", f"guess-{i}")
    page = sign_in(client, "edu_clerk", PASSWORD).content.decode()
    assert "登录失败次数过多" in page and "分钟" in page and "powerlist accounts unlock" in page


def test_the_lock_is_per_user_name_and_address(users, settings):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "edu_clerk", f"guess-{i}")
    assert sign_in(attacker, "edu_clerk", PASSWORD).status_code == 429
    office = Client(REMOTE_ADDR="10.0.0.20")  # the clerk at their own desk is not locked out by it
    sign_in(office, "edu_clerk", PASSWORD)
    assert signed_in(office)


@pytest.mark.parametrize("unlock", ["powerlist", "axes"])
def test_administrator_lifts_the_lock_and_it_is_recorded(users, settings, unlock):
    client = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "edu_clerk", f"guess-{i}")
    if unlock == "powerlist":
        call_command("accounts", "unlock", "edu_clerk", "--as", "admin1")
        actor = "admin1"
    else:  # django-axes' own command, run at the console
        call_command("axes_reset_username", "edu_clerk")
        actor = "system"
    assert actions("account.unlock") == [("account.unlock", actor, f"user:{users['clerk'].pk}")]
    sign_in(client, "edu_clerk", PASSWORD)
    assert signed_in(client)


def test_only_an_administrator_lifts_a_lock(users):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="需要管理员"):
        call_command("accounts", "unlock", "edu_clerk", "--as", "reviewer1")
