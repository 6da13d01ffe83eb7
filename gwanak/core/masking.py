"""Masking personal data for public display (개인정보 보호법)."""

from __future__ import annotations

import re

# 010-1234-5678, 01012345678, 02-123-4567, +82 10 1234 5678 …
PHONE_RE = re.compile(
    r"(?<!\d)(?:\+82[-.\s]?|0)(?:1[016789]|2|[3-6][1-5]|70)[-.\s]?\d{3,4}[-.\s]?\d{4}(?!\d)"
)
# 주민등록번호 900101-1234567 (with or without the dash)
RRN_RE = re.compile(r"(?<!\d)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[-\s]?[1-8]\d{6}(?!\d)")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def mask_name(name: str | None) -> str:
    """김철우 → 김*우, 이민 → 이*, 남궁민수 → 남**수."""
    if not name:
        return "익명"
    name = name.strip()
    if len(name) <= 1:
        return name + "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def _mask_email(match: re.Match) -> str:
    local, _, domain = match.group(0).partition("@")
    return local[:2] + "***@" + domain


def mask_personal_data(text: str) -> str:
    """Mask phone numbers, resident registration numbers and e-mail addresses in text."""
    text = RRN_RE.sub(lambda m: m.group(0)[:6] + "-*******", text)
    text = PHONE_RE.sub(_mask_phone_simple, text)
    text = EMAIL_RE.sub(_mask_email, text)
    return text


def _mask_phone_simple(match: re.Match) -> str:
    # Keep the area/carrier prefix and the separators, hide the middle digits.
    raw = match.group(0)
    parts = re.split(r"([-.\s])", raw)
    if len(parts) >= 5:
        parts[2] = "*" * len(parts[2])
        return "".join(parts)
    return raw[:3] + "*" * (len(raw) - 7) + raw[-4:]


def contains_personal_data(text: str | None) -> bool:
    """True when text holds something that looks like a phone, RRN or e-mail address."""
    if not text:
        return False
    return bool(RRN_RE.search(text) or PHONE_RE.search(text) or EMAIL_RE.search(text))
