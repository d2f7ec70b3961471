"""Who is calling: `Authorization: Bearer <key>` for every write; reads are public and
optionally authenticated (a token, or the back office's session for a logged-in browser)."""

from ninja.errors import AuthenticationError
from ninja.security import HttpBearer

from powerlist.api import services


class TokenAuth(HttpBearer):
    """Bearer token issued with `powerlist token create` or in the back office."""

    def authenticate(self, request, token):
        return services.authenticate(token.strip())


token_auth = TokenAuth()
# for read operations: anonymous access, or a token for the caller's wider scope
OPTIONAL_TOKEN = {"security": [{}, {"TokenAuth": []}]}


def viewer(request):
    """The user reading, or None for an anonymous reader. A token that is sent but wrong is
    refused (401) rather than silently read as anonymous."""
    header = request.headers.get("Authorization")
    if header:
        scheme, _sep, key = header.partition(" ")
        user = services.authenticate(key.strip()) if scheme.lower() == "bearer" else None
        if user is None:
            raise AuthenticationError()
        return user
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_active:
        return user
    return None
