"""Turning stored text into safe HTML.

Staff pages: Markdown rendered, then sanitized by bleach against an allow-list.
Residents' text: plain text, personal data masked, links made clickable; nothing
a user types can become markup.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import unquote, urlsplit

import bleach
import markdown as markdown_lib
from bleach.linkifier import Linker
from markupsafe import Markup, escape

from gwanak.core.masking import mask_personal_data

ALLOWED_TAGS = frozenset(
    {
        "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote", "pre", "code",
        "ul", "ol", "li", "dl", "dt", "dd",
        "strong", "em", "b", "i", "u", "s", "sub", "sup", "small", "mark",
        "a", "img",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
UPLOADS_PREFIX = "/uploads/"


# What a stored file's address looks like: /uploads/<32 hex>/<name>.
_UPLOAD_PATH = re.compile(r"/uploads/[0-9a-f]{32}/[^/\\?#]+")


def is_upload_path(value: str) -> bool:
    """True when `value` is the address of one of our stored files, however it is spelled.

    Browsers percent-decode and resolve dot segments, so `/uploads/%2e%2e/auth/account`
    is `/auth/account`: the check is made on the decoded, resolved path."""
    decoded = value.strip()
    for _ in range(3):  # %252e → %2e → .
        decoded = unquote(decoded)
    if any(ch in decoded for ch in "\\\x00\t\r\n") or urlsplit(decoded).netloc:
        return False
    resolved = posixpath.normpath(decoded)
    return resolved == decoded and bool(_UPLOAD_PATH.fullmatch(resolved))


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        # A link that says "file" goes to a file (browsers read a backslash as /).
        if name == "href" and unquote(value.strip()).replace("\\", "/").startswith("/uploads"):
            return is_upload_path(value)
        return name in {"href", "title"}
    if tag == "img":
        # Images only from our own uploads: no tracking pixels, no mixed content.
        if name == "src":
            return is_upload_path(value)
        return name in {"alt", "width", "height"}
    if tag in {"th", "td"}:
        return name in {"colspan", "rowspan", "scope"}
    if tag == "ol":
        return name == "start"
    return False


def sanitize_html(html: str) -> str:
    """Keep only allow-listed tags and attributes; scripts and handlers never survive."""
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )
    return cleaned


def render_markdown(source: str) -> str:
    """Staff Markdown → sanitized HTML, ready to store."""
    html = markdown_lib.markdown(source or "", extensions=["tables", "sane_lists"])
    return sanitize_html(html)


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener ugc"
    return attrs


_linker = Linker(callbacks=[_nofollow], skip_tags={"pre", "code"}, parse_email=False)


def render_user_text(text: str | None) -> Markup:
    """Residents' plain text as HTML: escaped, personal data masked, links, line breaks."""
    masked = mask_personal_data(text or "")
    escaped = str(escape(masked))
    # The linkifier parses HTML and is slow; most texts hold no link at all.
    linked = _linker.linkify(escaped) if _MAY_HOLD_LINK.search(escaped) else escaped
    return Markup(linked.replace("\r\n", "\n").replace("\n", "<br>\n"))


def render_user_line(text: str | None) -> Markup:
    """A resident's one-line text (a title): escaped and masked, no links."""
    return Markup(escape(mask_personal_data(text or "")))


_MAY_HOLD_LINK = re.compile(r"https?:|www\.|\.(?:kr|com|net|org)\b", re.IGNORECASE)
