"""Form helpers shared by every menu: Korean messages, trimmed text, no markup, and the
base class every form of the portal derives from.

Every form derives from PortalForm, so WTForms' and Flask-WTF's built-in messages
("This field is required.", "Not a valid choice.", CSRF failures…) reach people in
Korean: WTForms' Korean catalogue, with our own wording where it is missing, awkward
or still English; and every text field refuses control characters.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.i18n import get_translations
from wtforms.validators import DataRequired, Length
from wtforms.widgets import HiddenInput

CSRF_MESSAGE = "보안 토큰이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 제출하세요."
CHOICE_MESSAGE = "목록에 있는 값을 고르세요."
# Where WTForms' Korean catalogue has no text, odd text or English words in it.
KOREAN_MESSAGES = {
    "This field is required.": "이 항목을 입력하세요.",
    "Not a valid choice.": CHOICE_MESSAGE,
    "Invalid Choice: could not coerce.": CHOICE_MESSAGE,
    "Invalid choice(s): one or more data inputs could not be coerced.": CHOICE_MESSAGE,
    "'%(value)s' is not a valid choice for this field.": CHOICE_MESSAGE,
    "'%(value)s' are not valid choices for this field.": CHOICE_MESSAGE,
    "Choices cannot be None.": "고를 수 있는 값이 없습니다.",
    "Not a valid integer value.": "숫자로 입력하세요.",
    "Not a valid decimal value.": "숫자로 입력하세요.",
    "Not a valid float value.": "숫자로 입력하세요.",
    "Not a valid date value.": "날짜를 2026-03-01 형식으로 입력하세요.",
    "Not a valid datetime value.": "일시를 2026-03-01 19:00 형식으로 입력하세요.",
    "Not a valid time value.": "시각을 14:00 형식으로 입력하세요.",
    "Not a valid week value.": "주를 2026-W09 형식으로 입력하세요.",
    "Date must be at least %(min)s.": "%(min)s 이후 날짜를 입력하세요.",
    "Date must be at most %(max)s.": "%(max)s 이전 날짜를 입력하세요.",
    "Date must be between %(min)s and %(max)s.": "%(min)s부터 %(max)s 사이의 날짜를 입력하세요.",
    "Invalid CSRF Token.": CSRF_MESSAGE,
    "CSRF token missing.": CSRF_MESSAGE,
    "CSRF failed.": CSRF_MESSAGE,
    "CSRF token expired.": CSRF_MESSAGE,
}
FALLBACK_MESSAGE = "입력한 값을 확인하세요."
_HANGUL = re.compile("[가-힣]")


class KoreanMessages:
    """WTForms' translations object: Korean for every built-in message, even future ones."""

    def __init__(self) -> None:
        self._catalogue = get_translations(["ko"])

    def gettext(self, string: str) -> str:
        return self._korean(string, self._catalogue.gettext(string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        string = singular if n == 1 else plural
        return self._korean(string, self._catalogue.ngettext(singular, plural, n))

    @staticmethod
    def _korean(string: str, translated: str) -> str:
        if string in KOREAN_MESSAGES:
            return KOREAN_MESSAGES[string]
        if _HANGUL.search(translated):
            return translated
        # A message WTForms added after this list: still Korean, if less precise.
        return FALLBACK_MESSAGE


KOREAN = KoreanMessages()


# Invisible characters nobody types on purpose: C0 controls (NUL …), DEL, C1 controls,
# and the bidirectional overrides and isolates that make text read differently from
# what it says. Multi-line fields may hold tabs and line breaks; one-line fields not.
_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
MULTILINE_CONTROL_RE = re.compile(f"[{_CONTROLS}]")
LINE_CONTROL_RE = re.compile(f"[{_CONTROLS}\t\n\r]")
CONTROL_MESSAGE = "보이지 않는 제어 문자(NUL, 줄바꿈 등)는 이 칸에 입력할 수 없습니다."


def no_control_characters(form, field) -> None:
    """Refuse NUL and other control characters (PostgreSQL cannot store NUL at all)."""
    if not isinstance(field.data, str):
        return
    pattern = MULTILINE_CONTROL_RE if isinstance(field, TextAreaField) else LINE_CONTROL_RE
    if pattern.search(field.data):
        raise ValidationError(CONTROL_MESSAGE)


class PortalForm(FlaskForm):
    """The base of every form in the portal: Korean built-in messages (CSRF included),
    no repeated hidden ids, and every text field refusing control characters with the
    Korean message by the field, before any of its data can reach an operation."""

    class Meta:
        def get_translations(self, form):
            # Not FlaskForm's hook: without Flask-Babel it answers None (English).
            return KOREAN

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Hidden inputs need no id (no label points at them), and with one each a page
        # of several forms would repeat id="csrf_token".
        for field in self:
            if isinstance(field.widget, HiddenInput):
                field.id = False

    def validate(self, extra_validators=None) -> bool:
        extra = {name: list(chain) for name, chain in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField) and name != self.meta.csrf_field_name:
                extra.setdefault(name, []).insert(0, no_control_characters)
        valid = super().validate(extra_validators=extra)
        # Flask-WTF raises its CSRF errors in English, outside the translations.
        token = getattr(self, self.meta.csrf_field_name, None) if self.meta.csrf else None
        if token is not None and token.errors:
            token.errors = [CSRF_MESSAGE]
        return valid


def required(label: str = "이 항목") -> DataRequired:
    return DataRequired(message=f"{label}을(를) 입력하세요.")


def max_length(limit: int, minimum: int = -1) -> Length:
    if minimum > 0:
        return Length(
            min=minimum, max=limit, message=f"{minimum}자 이상 {limit:,}자 이하로 입력하세요."
        )
    return Length(max=limit, message=f"{limit:,}자 이하로 입력하세요.")


def strip_filter(value):
    return value.strip() if isinstance(value, str) else value


def no_blank(form, field) -> None:
    """Whitespace-only is empty."""
    if field.data is not None and isinstance(field.data, str) and not field.data.strip():
        raise ValidationError("내용을 입력하세요. 공백만으로는 저장할 수 없습니다.")


HTML_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


def looks_like_html(value: str | None) -> bool:
    return bool(value and HTML_TAG_RE.search(value))


def no_html(form, field) -> None:
    """Residents write plain text; markup is refused rather than silently altered."""
    if isinstance(field.data, str) and looks_like_html(field.data):
        raise ValidationError("HTML 태그는 쓸 수 없습니다. 글자로만 입력하세요.")
