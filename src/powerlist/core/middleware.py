"""Chinese first: pages are in zh-Hans unless the user has chosen another language with the
switch (Django's set_language view, remembered in a cookie). The browser's Accept-Language is
not consulted: a government intranet serves the same Chinese pages to every desk."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class AccountActorMiddleware:
    """Account changes Django makes during a request (the self-service password change) are
    recorded in the audit log as done by the signed-in user (powerlist.core.signals)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from powerlist.core.services.users import acting

        with acting(request.user):
            return self.get_response(request)
