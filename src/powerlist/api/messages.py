"""What a caller reads when a parameter or a body field is refused: pydantic's checks named in the
caller's language (Chinese unless the language cookie says English) and the field as the lists
name it (promised_limit_days → 承诺时限（工作日）)."""

from django.utils.translation import get_language, gettext_lazy as _

from powerlist.catalog.labels import field_name

MESSAGES = {  # pydantic error type -> message, formatted with the error's context
    "missing": _("required"),
    "int_parsing": _("should be a whole number"), "int_type": _("should be a whole number"),
    "int_from_float": _("should be a whole number"),
    "float_parsing": _("should be a number"), "float_type": _("should be a number"),
    "decimal_parsing": _("should be a number"),
    "bool_parsing": _("should be true or false"), "bool_type": _("should be true or false"),
    "string_type": _("should be text"), "string_too_short": _("should not be empty"),
    "string_too_long": _("should have at most %(max_length)s characters"),
    "too_long": _("should have at most %(max_length)s entries"),
    "greater_than_equal": _("should be at least %(ge)s"), "greater_than": _("should be more than %(gt)s"),
    "less_than_equal": _("should be at most %(le)s"), "less_than": _("should be less than %(lt)s"),
    "literal_error": _("should be one of %(expected)s"), "enum": _("should be one of %(expected)s"),
    "date_parsing": _("should be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": _("should be a date (YYYY-MM-DD)"),
    "date_type": _("should be a date (YYYY-MM-DD)"),
    "dict_type": _("should be an object"), "model_type": _("should be an object"),
    "model_attributes_type": _("should be an object"), "list_type": _("should be a list"),
    "json_invalid": _("is not valid JSON"), "extra_forbidden": _("is not a field that can be sent"),
    "string_pattern_mismatch": _("is not in the expected form"),
}


def expected(error: dict) -> str:
    """The message for one pydantic error; pydantic's own (English) wording when the caller reads
    English or the type is not in the table."""
    text = str(error.get("msg", "")).removeprefix("Value error, ")
    if (get_language() or "").startswith("en") or error.get("type") not in MESSAGES:
        return text
    try:
        return str(MESSAGES[error["type"]]) % {k: v for k, v in (error.get("ctx") or {}).items()}
    except (KeyError, TypeError, ValueError):
        return text


def label(field: str) -> str:
    """The last name in a field path, as people read it: `body.promised_limit_days` → 承诺时限（工作日）."""
    names = [p for p in field.split(".") if p and not p.isdigit()]
    return field_name(names[-1]) if names else field
