"""API tokens: the only place that creates, revokes and checks them. Creation and revocation are
administrators' work and are appended to the audit chain; the key is returned once and only
its sha256 is kept."""

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from powerlist.api.models import ApiToken
from powerlist.core import scope
from powerlist.core.errors import InvalidInput, NotFound, Problem
from powerlist.core.models import User
from powerlist.core.services import audit

KEY_PREFIX = "pl_"
# last_used_at is written at most this often per token, so reading does not mean writing
TOUCH_INTERVAL = dt.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(actor, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it with its key, which is never shown again."""
    scope.require_admin(actor, "创建 API 令牌")
    name = (name or "").strip()
    problems = []
    if not name:
        problems.append(Problem("", None, "name", "", "令牌需要名称，如所用的系统或脚本"))
    elif len(name) > 100:
        problems.append(Problem("", None, "name", name, "不能超过100个字符"))
    if not user.is_active:
        problems.append(Problem("", None, "user", user.get_username(), "用户已停用，不能创建令牌"))
    if problems:
        raise InvalidInput(problems)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, key_hash=hash_key(key), created_at=timezone.now())
        audit.append(actor, "api.token.create", f"api_token:{token.pk}",
                     {"user": user.get_username(), "name": name, "role": user.role})
    return token, key


def revoke_token(actor, token_id: int) -> ApiToken:
    """Delete a token: requests with its key are refused from now on. Administrators revoke any
    token, users their own."""
    token = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if token is None:
        raise NotFound(f"API 令牌 {token_id} 不存在")
    if getattr(actor, "pk", None) is None or actor.pk != token.user_id:
        scope.require_admin(actor, "撤销他人的 API 令牌")
    with transaction.atomic():
        audit.append(actor, "api.token.revoke", f"api_token:{token.pk}",
                     {"user": token.user.get_username(), "name": token.name})
        token.delete()
    token.pk = token_id
    return token


def authenticate(key: str) -> User | None:
    """The active user a key belongs to, or None."""
    if not key or not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key), user__is_active=True).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
