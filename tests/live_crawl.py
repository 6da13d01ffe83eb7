"""A small crawler for the served app: one signed-in (or anonymous) person following links.

It speaks plain HTTP through urllib, keeps cookies, never follows a redirect by itself
(a redirect's target is queued like a link) and only ever sends GET, except for the
log-in form. Every page it fetches is checked for what must never reach a person:
a server error, a page over the HTML budget, a Python repr or traceback, an English
library message, a link that leads its viewer to 403.
"""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

HTML_BUDGET = 40 * 1024
URLS_PER_PATTERN = 3
# Pages never fetched: logging out ends the crawl's session.
SKIP_PATHS = ("/auth/logout",)

# What a person must never read. Checked on the visible text (tags stripped, entities
# decoded), so a class name or a URL cannot trigger it.
PYTHON_INTERNALS = re.compile(
    r"Traceback \(most recent call last\)"
    r"|<built-in method|<bound method|<function |<generator object|<class '"
    r"|object at 0x[0-9a-f]+"
    r"|dict_(?:items|keys|values)\("
    r"|Decimal\('|datetime\.(?:date|datetime)\("
    r"|jinja2\.exceptions|sqlalchemy\.exc|werkzeug\.exceptions"
)
ENGLISH_MESSAGES = re.compile(
    r"Not a valid|This field is required|\bInvalid\b|Field must be|Please log in"
    r"|CSRF token|Internal Server Error|Method Not Allowed|Too Many Requests"
    r"|\bNot Found\b|\bBad Request\b|\bForbidden\b|\bUnauthorized\b"
)
# `None` printed where a value belongs: as a word of its own in the text, or in a link.
NONE_AS_TEXT = re.compile(r"(?<![A-Za-z_])None(?![A-Za-z_])")
NONE_IN_URL = re.compile(r"(?:/|=)None(?:$|[/?&#])")
# <time datetime>: a date, or a UTC moment to the second.
MACHINE_TIME = re.compile(r"\d{4}-\d\d-\d\d(?:T\d\d:\d\d:\d\dZ)?")
# Attributes a person reads or hears (screen readers), checked like visible text.
READ_ATTRIBUTES = {"value", "placeholder", "title", "alt", "aria-label", "content", "datetime"}


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.text: list[str] = []
        self.read_attributes: list[str] = []
        self.ids: list[str] = []
        self.machine_times: list[str] = []
        self.hidden_inputs: dict[str, str] = {}
        # Query names this page reads: its pager's and its GET (filter) forms' fields.
        self.list_parameters: set[str] = set()
        self._in_get_form = False
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in ("script", "style"):
            self._skip_depth += 1
        self._note_ids_and_attributes(tag, values)
        self._note_list_parameters(tag, values)
        self._note_links(tag, values)

    def _note_ids_and_attributes(self, tag: str, values: dict[str, str]) -> None:
        if "id" in values:
            self.ids.append(values["id"])
            if values["id"] == "comments":  # the comment list pages with ?cpage=
                self.list_parameters.add("cpage")
        for name in READ_ATTRIBUTES & values.keys():
            if not (tag == "meta" and name == "content" and "name" not in values):
                self.read_attributes.append(values[name])
        if tag == "time" and "datetime" in values:
            self.machine_times.append(values["datetime"])

    def _note_list_parameters(self, tag: str, values: dict[str, str]) -> None:
        if tag == "nav" and "pager" in values.get("class", "").split():
            self.list_parameters.add("page")
        if tag == "form":
            self._in_get_form = values.get("method", "get").lower() == "get"
        elif tag in ("input", "select") and self._in_get_form and values.get("name"):
            self.list_parameters.add(values["name"])

    def _note_links(self, tag: str, values: dict[str, str]) -> None:
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
            if values.get("rel") in ("next", "prev"):
                self.list_parameters.update(k for k, _ in parse_qsl(urlsplit(values["href"]).query))
        elif tag in ("link", "script", "img", "iframe", "source"):
            target = values.get("href") or values.get("src")
            if target:
                self.assets.append(target)
        elif tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.hidden_inputs.setdefault(values["name"], values.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_get_form = False
        if tag in ("script", "style") and self._skip_depth:
            self._skip_depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.text.append(data)


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def content_problems(html: str) -> list[str]:
    """What in this page a person must never see (empty when the page is clean)."""
    page = parse(html)
    text = " ".join(" ".join(page.text).split())
    read = " ".join(page.read_attributes)
    problems = []
    for label, pattern in (
        ("Python internals", PYTHON_INTERNALS),
        ("English message", ENGLISH_MESSAGES),
        ("None as text", NONE_AS_TEXT),
    ):
        for where in (text, read):
            match = pattern.search(where)
            if match:
                start = max(match.start() - 40, 0)
                problems.append(f"{label}: …{where[start : match.end() + 40]}…")
                break
    bad_links = [link for link in page.links + page.assets if NONE_IN_URL.search(link)]
    if bad_links:
        problems.append(f"None in a link: {bad_links[0]}")
    odd_times = [t for t in page.machine_times if not MACHINE_TIME.fullmatch(t)]
    if odd_times:
        problems.append(f"time datetime not a date or a UTC second: {odd_times[0]}")
    repeated = sorted({i for i in page.ids if page.ids.count(i) > 1})
    if repeated:
        problems.append(f"repeated id: {', '.join(repeated)}")
    return problems


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def is_html(self) -> bool:
        return self.headers.get("content-type", "").startswith("text/html")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401
        return None


class Browser:
    """One person's cookies and plain GET/POST over HTTP."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect()
        )

    def request(self, url: str, data: dict | None = None) -> Response:
        body = urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(urljoin(self.base, url), data=body)
        try:
            with self.opener.open(req, timeout=30) as answer:
                return Response(answer.status, _lower(answer.headers), answer.read())
        except urllib.error.HTTPError as answer:
            return Response(answer.code, _lower(answer.headers), answer.read())

    def log_in(self, email: str, password: str) -> None:
        form = parse(self.request("/auth/login").text)
        answer = self.request(
            "/auth/login",
            {
                "csrf_token": form.hidden_inputs.get("csrf_token", ""),
                "email": email,
                "password": password,
            },
        )
        if answer.status != 303:
            raise AssertionError(f"log-in as {email} answered {answer.status}")


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


@dataclass
class Visit:
    url: str
    status: int
    referrer: str | None
    pattern: str
    is_html: bool
    size: int = 0
    list_parameters: frozenset[str] = frozenset()


@dataclass
class CrawlReport:
    role: str
    visits: list[Visit] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    skipped_by_pattern: int = 0

    @property
    def pages(self) -> list[Visit]:
        return [v for v in self.visits if v.is_html and v.status == 200]


class Crawler:
    """Breadth-first over one person's links, at most URLS_PER_PATTERN URLs per pattern.

    `pattern_of(path, query_keys)` names the route a URL belongs to (the Flask rule in
    the tests), so a list of a thousand proposals costs three fetches, not a thousand.
    `expected(url)` returns a reason when a known defect may answer 5xx there.
    """

    def __init__(self, browser: Browser, role: str, pattern_of, expected=lambda url: None):
        self.browser = browser
        self.report = CrawlReport(role)
        self.pattern_of = pattern_of
        self.expected = expected
        self.host = urlsplit(browser.base).netloc

    def crawl(self, start: str = "/") -> CrawlReport:
        began = time.monotonic()
        queue: deque[tuple[str, str | None]] = deque([(start, None)])
        seen: set[str] = {start}
        per_pattern: dict[str, int] = defaultdict(int)
        while queue:
            url, referrer = queue.popleft()
            pattern = self.pattern_of(url)
            if per_pattern[pattern] >= URLS_PER_PATTERN and not pattern.startswith("/static/"):
                self.report.skipped_by_pattern += 1
                continue
            per_pattern[pattern] += 1
            for link in self.visit(url, referrer, pattern):
                if link not in seen:
                    seen.add(link)
                    queue.append((link, url))
        self.report.seconds = time.monotonic() - began
        return self.report

    def visit(self, url: str, referrer: str | None, pattern: str) -> list[str]:
        answer = self.browser.request(url)
        visit = Visit(url, answer.status, referrer, pattern, answer.is_html, len(answer.body))
        self.report.visits.append(visit)
        where = f"{url} (linked from {referrer or 'the start'})"
        if answer.status >= 500:
            reason = self.expected(url)
            if reason is None:
                self.report.failures.append(f"{answer.status} at {where}")
            return []
        if answer.status in (403, 404, 405) and referrer is not None:
            self.report.failures.append(f"{answer.status} for a link shown at {where}")
            return []
        if answer.status in (301, 302, 303, 307, 308):
            target = self.internal(answer.headers.get("location", ""), url)
            return [target] if target else []
        if url.startswith("/static/") or not answer.is_html or answer.status != 200:
            return []
        if len(answer.body) > HTML_BUDGET:
            self.report.failures.append(
                f"{len(answer.body) / 1024:.1f} KB of HTML (budget 40 KB) at {where}"
            )
        html = answer.text
        for problem in content_problems(html):
            self.report.failures.append(f"{problem} at {where}")
        page = parse(html)
        found = []
        for href in page.links + page.assets:
            target = self.internal(href, url)
            if target:
                found.append(target)
                # A link to this same page with a query is a filter or a pager.
                parts = urlsplit(target)
                if parts.path == urlsplit(url).path and parts.query:
                    page.list_parameters.update(k for k, _ in parse_qsl(parts.query))
        visit.list_parameters = frozenset(page.list_parameters)
        return found

    def internal(self, href: str, current: str) -> str | None:
        """The same-origin path?query an href leads to, or None to leave it alone."""
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            return None
        absolute = urlsplit(urljoin(self.browser.base + current, href))
        if absolute.scheme not in ("http", "https") or absolute.netloc != self.host:
            return None
        if absolute.path.startswith(SKIP_PATHS):
            return None
        return urlunsplit(("", "", absolute.path, absolute.query, ""))


def with_query(url: str, **values: str) -> str:
    """The URL with these query values set (others kept)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(values)
    return urlunsplit(("", "", parts.path, urlencode(query), ""))
