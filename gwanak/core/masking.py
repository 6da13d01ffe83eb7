"""Masking personal data for public display (개인정보 보호법).

Phone numbers, resident registration numbers (주민등록번호) and e-mail addresses are
found in a folded copy of the text — full-width forms and other scripts' digits made
ASCII, one character for one, so
`０１０-１２３４-５６７８` and `ｋｉｍ＠ｎａｖｅｒ.ｃｏｍ` are caught — and the matching
stretch of the original text is replaced. Separators may be dashes, dots or spaces, with
spaces around them (`010 - 1234 - 5678`), and a phone may start with +82
(`+82 10 1234 5678`, `+82-10-1234-5678`, `+82 (0)10 …`).
"""

from __future__ import annotations

import re
import unicodedata

_SEP = r"(?:\s*[-.·‐‑–—~]\s*|\s+)?"
_PREFIX = (
    r"(?:\+\s*82\s*[-.]?\s*(?:\(\s*0\s*\)\s*)?|\(\s*0|0)"
    r"(?:1[016789]|2|[3-6][1-5]|70|50[2-8])(?:\s*\))?"
)
PHONE_RE = re.compile(
    rf"(?<![\d+])(?P<prefix>{_PREFIX})(?P<middle>{_SEP}\d{{3,4}}{_SEP})(?P<last>\d{{4}})(?!\d)"
)
# 주민등록번호 900101-1234567 (dash, spaces or nothing between the halves)
RRN_RE = re.compile(
    r"(?<!\d)(?P<birth>\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    rf"(?P<sep>{_SEP})(?P<rest>[1-8]\d{{6}})(?!\d)"
)
_AT = r"\s*(?:@|\[\s*at\s*\]|\(\s*at\s*\)|골뱅이)\s*"
_DOT = r"\s*(?:\.|\[\s*dot\s*\]|\(\s*dot\s*\))\s*"
EMAIL_RE = re.compile(
    rf"(?P<local>[A-Za-z0-9._%+-]+){_AT}"
    rf"(?P<domain>[A-Za-z0-9-]+(?:{_DOT}[A-Za-z0-9-]+)*{_DOT}[A-Za-z]{{2,}})",
    re.IGNORECASE,
)


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


def _folding_table() -> dict[int, str]:
    """Full-width ASCII (U+FF01–FF5E) → ASCII, ideographic space → space, and every digit
    of other scripts → 0–9. One character to one, so positions stay the same."""
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    for code in range(0x80, 0x10000):
        char = chr(code)
        if code not in table and unicodedata.category(char) == "Nd":
            table[code] = str(unicodedata.digit(char))
    return table


_FOLD = _folding_table()


def _stars(text: str) -> str:
    return re.sub(r"\d", "*", text)


def _mask_rrn(m: re.Match) -> str:
    return m.group("birth") + "-" + "*" * 7


def _mask_phone(m: re.Match) -> str:
    return m.group("prefix") + _stars(m.group("middle")) + m.group("last")


def _mask_email(m: re.Match) -> str:
    return m.group("local")[:2] + "***@" + m.group("domain")


_RULES = ((RRN_RE, _mask_rrn), (PHONE_RE, _mask_phone), (EMAIL_RE, _mask_email))


def _findings(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) in the original text, non-overlapping, in order."""
    folded = text.translate(_FOLD)
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str]] = []
    for pattern, mask in _RULES:
        for m in pattern.finditer(folded):
            start, end = m.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            found.append((start, end, mask(m)))
    return sorted(found)


def mask_personal_data(text: str | None) -> str:
    """Mask phone numbers, resident registration numbers and e-mail addresses in text."""
    if not text:
        return text or ""
    findings = _findings(text)
    if not findings:
        return text
    out: list[str] = []
    position = 0
    for start, end, replacement in findings:
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)


def contains_personal_data(text: str | None) -> bool:
    """True when text holds something that looks like a phone, RRN or e-mail address."""
    return bool(text) and bool(_findings(text))
