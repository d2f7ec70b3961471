"""Every account event leaves an entry in the audit log saying who, on whom and what changed,
whichever way it happens: signing in and out, a wrong password, changing one's own password
in the admin, an administrator creating a user or changing a role, createsuperuser and
changepassword at the console. Never the password or its hash."""

import json

from django.core.management import call_command
from django.test import Client

from powerlist.core.models import AuditEntry, Role, User

PASSWORD = "correct-horse-battery"


def entries(action):
    return [(e.actor, e.target, json.loads(e.payload) if isinstance(e.payload, str) else e.payload)
            for e in AuditEntry.objects.filter(action=action).order_by("seq")]


def no_secret_in_log(*secrets):
    text = " ".join(str(v) for e in AuditEntry.objects.all() for v in (e.payload, e.target, e.actor))
    for secret in secrets:
        assert secret not in text


def test_signing_in_and_out_is_recorded(users):
    client = Client(REMOTE_ADDR="10.0.0.5")
    client.post("/admin/login/?next=/admin/", {"username": "reviewer1", "password": PASSWORD})
    client.post("/admin/logout/")
    target = f"user:{users['reviewer'].pk}"
    assert entries("account.login") == [("reviewer1", target, {"username": "reviewer1", "ip": "10.0.0.5"})]
    assert entries("account.logout") == [("reviewer1", target, {"username": "reviewer1", "ip": "10.0.0.5"})]


def test_a_wrong_password_is_recorded_without_the_password(users):
    Client(REMOTE_ADDR="10.0.0.6").post("/admin/login/", {"username": "reviewer1", "password": "hunter2-secret"})
    Client(REMOTE_ADDR="10.0.0.6").post("/admin/login/", {"username": "nobody", "password": "hunter3-secret"})
    assert entries("account.login_failed") == [
        ("anonymous", f"user:{users['reviewer'].pk}", {"username": "reviewer1", "ip": "10.0.0.6"}),
        ("anonymous", "username:nobody", {"username": "nobody", "ip": "10.0.0.6"})]
    no_secret_in_log("hunter2-secret", "hunter3-secret")


def test_clerk_changes_own_password_in_the_admin(users):
    clerk = users["clerk"]
    client = Client()
    client.force_login(clerk)
    response = client.post("/admin/password_change/", {
        "old_password": PASSWORD, "new_password1": "a-much-longer-secret-2025", "new_password2": "a-much-longer-secret-2025"})
    assert response.status_code == 302
    assert entries("user.password_change") == [("edu_clerk", f"user:{clerk.pk}", {"username": "edu_clerk"})]
    clerk.refresh_from_db()
    no_secret_in_log("a-much-longer-secret-2025", clerk.password, clerk.password.split("$")[-1])


def test_administrator_changes_a_clerks_role_in_the_admin(users, county):
    clerk, admin = users["clerk"], Client()
    admin.force_login(users["admin"])
    response = admin.post(f"/admin/core/user/{clerk.pk}/change/", {
        "username": "edu_clerk", "role": Role.REVIEWER, "jurisdiction": county.pk, "organisation": "",
        "first_name": "", "last_name": "", "email": "", "phone": "", "is_active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    [(actor, target, payload)] = entries("user.update")
    assert (actor, target) == ("admin1", f"user:{clerk.pk}")
    assert payload["changes"]["role"] == [Role.CLERK, Role.REVIEWER]
    assert payload["changes"]["organisation"] == ["岳塘区教育局", None]


def test_administrator_creates_a_user_and_sets_a_password_in_the_admin(users, departments):
    admin = Client()
    admin.force_login(users["admin"])
    response = admin.post("/admin/core/user/add/", {
        "username": "health_clerk", "usable_password": "true", "password1": "Shou-Li-2025-long",
        "password2": "Shou-Li-2025-long", "role": Role.CLERK, "organisation": departments["岳塘区卫生健康局"].pk,
        "jurisdiction": ""})
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="health_clerk")
    [(actor, target, payload)] = entries("user.create")[-1:]
    assert (actor, target) == ("admin1", f"user:{created.pk}")
    assert payload["values"]["organisation"] == "岳塘区卫生健康局" and payload["password_set"] is True
    admin.post(f"/admin/core/user/{created.pk}/password/", {
        "password1": "Another-long-2026", "password2": "Another-long-2026", "usable_password": "true"})
    assert entries("user.password_change")[-1][:2] == ("admin1", f"user:{created.pk}")
    no_secret_in_log("Shou-Li-2025-long", "Another-long-2026")


def test_createsuperuser_and_changepassword_at_the_console(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "console-secret-2025")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org")
    root = User.objects.get(username="root")
    [(actor, target, payload)] = entries("user.create")
    assert (actor, target) == ("system", f"user:{root.pk}") and payload["values"]["is_superuser"] is True
    # changepassword asks twice on the terminal: Django's prompt answered here
    monkeypatch.setattr("django.contrib.auth.management.commands.changepassword.getpass.getpass",
                        lambda prompt="": "console-secret-2026")
    call_command("changepassword", "root")
    assert entries("user.password_change") == [("system", f"user:{root.pk}", {"username": "root"})]
    no_secret_in_log("console-secret-2025", "console-secret-2026")


def test_signing_in_does_not_record_an_account_change(users):
    Client().post("/admin/login/?next=/admin/", {"username": "admin1", "password": PASSWORD})
    assert entries("user.update") == [] and len(entries("account.login")) == 1
