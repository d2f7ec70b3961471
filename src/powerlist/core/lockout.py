"""The page a locked-out sign-in gets (django-axes' AXES_LOCKOUT_CALLABLE): the admin's own
frame, in the reader's language, saying how long the lock lasts and who can lift it."""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render


def locked_out(request, original_response=None, credentials=None):
    cool_off = settings.AXES_COOLOFF_TIME
    return render(request, "admin/locked_out.html", {
        **admin.site.each_context(request), "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None}, status=429)
