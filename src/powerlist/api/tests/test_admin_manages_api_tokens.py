"""An administrator issues a token for a clerk's system (console or back office), the key is
shown once and only its hash is kept; creation and revocation are in the audit chain; a revoked
token no longer works."""

import re
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from powerlist.api import services
from powerlist.api.models import ApiToken
from powerlist.core.errors import PermissionDenied
from powerlist.core.models import AuditEntry
from powerlist.core.scope import SYSTEM
from powerlist.core.services import audit


def test_only_the_hash_is_stored_and_creation_is_audited(users):
    token, key = services.create_token(users["admin"], users["clerk"], "学校管理系统")
    assert key.startswith("pl_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in token.key_hash
    entry = AuditEntry.objects.get(action="api.token.create", target=f"api_token:{token.pk}")
    assert entry.actor == "admin1" and json.loads(entry.payload)["user"] == "edu_clerk"
    assert key not in entry.payload
    assert services.authenticate(key) == users["clerk"]
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None
    assert audit.verify().ok


def test_only_administrators_issue_tokens(users):
    for role in ("reviewer", "clerk", "inspector", "legal"):
        with pytest.raises(PermissionDenied):
            services.create_token(users[role], users[role], "mine")
    assert not ApiToken.objects.exists()


def test_console_creates_lists_and_revokes(client, items, users):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "edu_clerk", "--name", "学校管理系统", stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.name == "学校管理系统" and "密钥只在此时显示一次" in err.getvalue()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    item = items["430304-JY-XK-009"]
    assert client.get(f"/api/items/{item.pk}", **headers).status_code == 200

    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    assert "edu_clerk" in listing.getvalue() and key not in listing.getvalue()

    call_command("token", "revoke", str(token.pk), stdout=io.StringIO())
    assert not ApiToken.objects.exists()
    assert AuditEntry.objects.filter(action="api.token.revoke", target=f"api_token:{token.pk}").exists()
    assert client.get(f"/api/items/{item.pk}", **headers).status_code == 401
    with pytest.raises(CommandError):
        call_command("token", "revoke", str(token.pk))
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", "--name", "x")
    with pytest.raises(CommandError):
        call_command("token", "create", "edu_clerk", "--name", "x", "--as", "edu_clerk")


def test_inactive_users_tokens_stop_working(client, county, users):
    _token, key = services.create_token(SYSTEM, users["clerk"], "系统")
    users["clerk"].is_active = False
    users["clerk"].save(update_fields=["is_active"])
    assert client.get("/api/items", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_back_office_page_issues_and_revokes(client, users):
    client.force_login(users["admin"])
    changelist = reverse("admin:api_apitoken_changelist")
    assert client.get(reverse("admin:api_apitoken_add")).status_code == 200
    response = client.post(reverse("admin:api_apitoken_add"), {"user": users["clerk"].pk, "name": "学校管理系统"},
                           follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get()
    shown = [str(m) for m in response.context["messages"]]
    key = next(re.search(r"pl_[A-Za-z0-9_-]+", m).group(0) for m in shown if "pl_" in m)
    assert services.authenticate(key) == users["clerk"]
    assert client.get(changelist).status_code == 200
    assert client.get(reverse("admin:api_apitoken_change", args=[token.pk])).status_code == 200
    response = client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True)
    assert response.status_code == 200 and not ApiToken.objects.exists()

    client.force_login(users["reviewer"])
    assert client.get(changelist).status_code == 403
