"""Throttling of anonymous actions (progress look-ups, ratings, public comments) per address.

Attempts are rows in the database, so every worker process of every server sees the same count
(a per-process memory cache would let a client multiply its allowance by the number of workers).
The address is never stored: only a keyed hash of it (HMAC-SHA256 with the site's secret key)."""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone


def address_hash(request_or_address) -> str:
    address = getattr(request_or_address, "META", None)
    address = address.get("REMOTE_ADDR", "") if address is not None else str(request_or_address or "")
    return hmac.new(settings.SECRET_KEY.encode(), f"address:{address}".encode(), hashlib.sha256).hexdigest()


def allow(request_or_address, scope: str, limit: int, per_seconds: int) -> bool:
    """True, and the attempt counted, when the address made fewer than `limit` attempts of this
    scope in the last `per_seconds` seconds; False (nothing counted) otherwise."""
    from powerlist.core.models import Attempt

    key = address_hash(request_or_address)
    now = timezone.now()
    since = now - dt.timedelta(seconds=per_seconds)
    Attempt.objects.filter(scope=scope[:40], key=key, at__lt=since).delete()
    if Attempt.objects.filter(scope=scope[:40], key=key, at__gte=since).count() >= limit:
        return False
    Attempt.objects.create(scope=scope[:40], key=key, at=now)
    return True
