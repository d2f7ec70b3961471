"""What people read instead of the checker's codes: verdicts and the status of a law, in the
active language (Chinese unless the user switched). The console keeps `verify.RESULT_NAMES`;
pages, the admin and the API use these."""

from django.utils.translation import pgettext_lazy

from powerlist.laws.models import LawStatus

RESULT_LABELS = {
    "ok": pgettext_lazy("verdict", "verified"),
    "law-not-found": pgettext_lazy("verdict", "law not found"),
    "not-in-corpus": pgettext_lazy("verdict", "level not in the corpus"),
    "repealed": pgettext_lazy("verdict", "law repealed"),
    "article-missing": pgettext_lazy("verdict", "article not in the law"),
    "text-mismatch": pgettext_lazy("verdict", "quote differs from the article"),
    "superseded": pgettext_lazy("verdict", "quotes an earlier version"),
    "unparsed": pgettext_lazy("verdict", "no law recognised"),
}
# the words a citizen reads next to a cited law: 现行有效 / 已废止 / 已修改
LAW_STATUS_LABELS = {
    LawStatus.CURRENT: pgettext_lazy("law status", "in force"),
    LawStatus.REPEALED: pgettext_lazy("law status", "repealed"),
    LawStatus.AMENDED: pgettext_lazy("law status", "amended"),
    LawStatus.HISTORICAL: pgettext_lazy("law status", "earlier version"),
}


def result_label(code: str) -> str:
    return str(RESULT_LABELS.get(code, code))


def law_status_label(status: str) -> str:
    return str(LAW_STATUS_LABELS.get(status, status))
