"""Form helpers shared by every menu: Korean messages, trimmed text, no markup."""

from __future__ import annotations

import re

from wtforms import ValidationError
from wtforms.validators import DataRequired, Length


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
