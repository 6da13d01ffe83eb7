"""Form helpers shared by every menu: Korean messages, trimmed text, no markup, and the
base class every form of the portal derives from."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField, ValidationError
from wtforms.validators import DataRequired, Length

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
    """The base of every form: each text field refuses control characters, with the
    Korean message by the field, before any of its data can reach an operation."""

    def validate(self, extra_validators=None):
        extra = {name: list(chain) for name, chain in (extra_validators or {}).items()}
        for name, field in self._fields.items():
            if isinstance(field, StringField) and name != "csrf_token":
                extra.setdefault(name, []).insert(0, no_control_characters)
        return super().validate(extra_validators=extra)


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
