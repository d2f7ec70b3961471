"""The transparency log's public face: the verifier key, the current signed checkpoint, and
inclusion and consistency proofs as JSON (hashes in base64), for anyone to check with
tools/verify_checkpoint.py or any RFC 9162 verifier. Read-only and without login; a bad
parameter is a 400 or 404 with a message, never a 500."""

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from powerlist.core.errors import DomainError, InvalidInput, NotFound
from powerlist.core.services import audit, checkpoints

TEXT = "text/plain; charset=utf-8"


def _json(data, status=200):
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _error(exc: DomainError):
    status = 404 if isinstance(exc, NotFound) else 400
    message = exc.summary() if isinstance(exc, InvalidInput) else str(exc)
    return _json({"error": message}, status)


HELP = _lazy("""Verifying the record of this installation (its audit log)

Every change made here is an entry of an append-only Merkle tree (RFC 9162). The log signs
checkpoints (C2SP tlog-checkpoint, Ed25519); each published list version shows the one signed
at its publication, whose last entry is the publication itself.

  GET /transparency/key                        the log's verifier key
  GET /transparency/checkpoint                 the current signed checkpoint
  GET /transparency/proof?entry=N&size=M       entry N is in the tree of M entries
  GET /transparency/consistency?from=A&to=B    the tree of B entries extends the tree of A

Check them without our software, with tools/verify_checkpoint.py from the powerlist source
(Python and the cryptography package only):

  python3 verify_checkpoint.py --key KEY checkpoint CHECKPOINT
  python3 verify_checkpoint.py --key KEY inclusion CHECKPOINT PROOF.json
  python3 verify_checkpoint.py --key KEY consistency OLD_CHECKPOINT NEW_CHECKPOINT PROOF.json
""")


@require_GET
def help_page(request):
    return HttpResponse(str(HELP), content_type=TEXT)


@require_GET
def public_key(request):
    return HttpResponse(checkpoints.verifier().vkey() + "\n", content_type=TEXT)


@require_GET
def checkpoint(request):
    response = HttpResponse(checkpoints.current(), content_type=TEXT)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def inclusion(request):
    if "entry" not in request.GET:
        return _json({"error": _("Give the audit entry number: ?entry=N (and optionally &size=M).")}, 400)
    try:
        return _json(audit.inclusion_proof(request.GET["entry"], request.GET.get("size")))
    except DomainError as exc:
        return _error(exc)


@require_GET
def consistency(request):
    if "from" not in request.GET:
        return _json({"error": _("Give the older tree size: ?from=A (and optionally &to=B).")}, 400)
    try:
        return _json(audit.consistency_proof(request.GET["from"], request.GET.get("to")))
    except DomainError as exc:
        return _error(exc)
