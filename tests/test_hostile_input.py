"""The hostile-input sweep: 100+ payloads (tests/hostile_payloads.py) through every form
the portal shows and every query parameter it takes, then every page, htmx fragment,
feed, widget, CSV and mail is read as each role.

Forms are discovered, not listed: the site is crawled as a resident, the mayor and an
admin (one of everything from the factories), and every POST form found is filled — text
fields with payloads, number fields with numbers at and past the limits, the rest with
sensible values — three times with different payloads (deterministic rotation, so all
payloads are used across the fields). GET forms and the links' parameters give the
query parameters, each sent every payload in turn.

Then: nothing answers 5xx; no page or fragment carries payload markup that would run
(an event handler, a script, a javascript:/data: address, an htmx attribute, a meta
refresh holding the marker, or `{{7*7}}` evaluated); every CSV cell that starts like a
formula is neutralised; feeds' HTML content is checked like a page; mail subjects are
one line. One slow test per database.
"""

from __future__ import annotations

import csv
import io
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from gwanak.core.csv_safe import csv_text
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.core.markup import render_markdown, render_user_line, render_user_text
from tests import hostile_payloads as payloads
from tests.conftest import AuthActions
from tests.factories import one_of_everything
from tests.test_masking import phone_numbers

MARK = payloads.MARK
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "background", "poster"}
HTMX_ATTRS = re.compile(r"^(data-)?hx-")
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
SKIP_PREFIXES = ("/static/", "/uploads/")
# Forms whose action would end the crawl's session or its world.
SKIP_ACTIONS = re.compile(r"logout|/delete|withdraw|cancel|/hide|/remove|/auth/account|/auth/login")
COMMON_PARAMS = ("page", "q", "sort", "state", "category", "dong", "year", "month", "next")
ROUNDS = 3
PER_ENDPOINT = 1
FORMULA = frozenset("=+-@\t\r\n＝＋－＠")
# A signed plain number (-5, +3.5, +0) is left as a number, as gwanak.core.csv_safe says:
# a spreadsheet computes nothing but the number itself from it.
NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)*")
# A tag whose attributes (quoted values skipped whole) include a handler with the marker.
RAW_HANDLER = re.compile(
    r"<[a-zA-Z][\w:-]*(?:\s+[\w:-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*?"
    r"\s+on[a-z]+\s*=\s*(?:\"[^\"]*|'[^']*|[^\s>]*)" + MARK
)


# ---------------------------------------------------------------- reading pages


class _Page(HTMLParser):
    """Links, forms and whatever in a page would run a payload."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict] = []
        self.running: list[str] = []
        self._raw: list[str] = []
        self._select: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        found = dict(attrs)
        self._judge(tag, attrs, found)
        if tag in ("script", "style"):
            self._raw.append(tag)
        for name in ("href", "data-hx-get", "hx-get", "src"):
            if found.get(name) and tag in ("a", "link", "iframe", "div", "button", "section"):
                self.links.append(found[name])
        if tag == "form":
            self.forms.append(
                {"method": found.get("method", "get").lower(), "action": found.get("action", ""),
                 "fields": []}
            )  # fmt: skip
        elif self.forms and tag in ("input", "textarea", "select") and found.get("name"):
            field = {"tag": tag, "name": found["name"], "type": found.get("type", "text"),
                     "value": found.get("value", ""), "options": []}  # fmt: skip
            self.forms[-1]["fields"].append(field)
            if tag == "select":
                self._select = field
        elif tag == "option" and self._select is not None:
            self._select["options"].append(found.get("value", ""))

    def handle_endtag(self, tag):
        if self._raw and self._raw[-1] == tag:
            self._raw.pop()
        if tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._raw and MARK in data:
            self.running.append(f"<{self._raw[-1]}> holds {data[:80]!r}")
        if f"49{MARK}" in data:
            self.running.append(f"template evaluated: {data[:80]!r}")

    def _judge(self, tag: str, attrs: list, found: dict) -> None:
        for name, value in attrs:
            if MARK not in value and MARK not in name:
                continue
            lowered = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if (
                name.startswith("on")
                or HTMX_ATTRS.match(name)
                or name in ("srcdoc", "style", "formaction")
                or (name in URL_ATTRS and lowered.startswith(BAD_SCHEMES))
                or (tag == "meta" and "http-equiv" in found)
                or (tag in ("base", "object", "embed", "iframe", "script"))
            ):
                self.running.append(f"<{tag} {name}={value[:80]!r}>")


def read_page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    # The text itself too: a browser parses some contexts (<math>, <svg>) differently
    # from html.parser, so an unescaped tag with a handler holding the marker counts
    # wherever it stands.
    page.running += [f"raw {m[:80]!r}" for m in RAW_HANDLER.findall(html)]
    return page


def running_in_feed(xml: bytes) -> list[str]:
    """Atom content/summary of type html is markup a reader renders: judge it as a page."""
    found = []
    root = ElementTree.fromstring(xml)
    for element in root.iter():
        if element.get("type") in ("html", "xhtml") and element.text:
            found += read_page(element.text).running
    return found


def unsafe_cells(body: str) -> list[str]:
    bad = []
    for row in csv.reader(io.StringIO(body.lstrip("\ufeff"))):
        for cell in row:
            core = cell.lstrip(" \u3000")
            if core[:1] in FORMULA and not NUMBER.fullmatch(cell.strip()):
                bad.append(cell[:60])
    return bad


# ---------------------------------------------------------------- the sweep


class Sweep:
    def __init__(self, app) -> None:
        self.app = app
        self.adapter = app.url_map.bind("localhost")
        self.problems: list[str] = []
        self.used: set[str] = set()
        self.fills = 0  # (payload, field) pairs sent
        self.posts = 0
        self.saved = 0  # posts that were accepted (redirected): payloads stored
        self.fields: set[tuple[str, str]] = set()
        self.params: dict[str, set[str]] = {}
        self.requests = 0
        self.kinds: dict[str, int] = {}
        self._next = 0

    def payload(self, pool: list[str]) -> str:
        value = pool[self._next % len(pool)]
        self._next += 1
        self.used.add(value)
        return value

    def endpoint(self, path: str, method: str = "GET") -> str | None:
        try:
            return self.adapter.match(urlsplit(path).path, method=method)[0]
        except Exception:  # noqa: BLE001 - a link elsewhere or to another method
            return None

    def get(self, client, path: str, **kwargs):
        self.requests += 1
        response = client.get(path, **kwargs)
        if response.status_code >= 500:
            self.problems.append(f"{client.role} GET {path}: {response.status_code}")
        return response

    def judge(self, client, path: str, response) -> _Page | None:
        kind = response.mimetype
        body = response.get_data()
        self.kinds[kind] = self.kinds.get(kind, 0) + 1
        if path.startswith("/widgets/"):
            self.kinds["widget"] = self.kinds.get("widget", 0) + 1
        where = f"{client.role} {path}"
        if kind == "text/html":
            page = read_page(body.decode())
            self.problems += [f"{where}: {r}" for r in page.running]
            return page
        if kind == "text/csv":
            self.problems += [f"{where}: formula cell {c!r}" for c in unsafe_cells(body.decode())]
        elif kind in ("application/atom+xml", "application/xml"):
            self.problems += [f"{where}: feed {r}" for r in running_in_feed(body)]
        return None

    def crawl(self, client, *, fragments: bool) -> list[tuple[str, dict]]:
        """Every page reachable by links (one address per route), judged; returns forms."""
        queue = deque(["/", "/sitemap", "/staff/", "/auth/account", "/embed", "/opendata"])
        seen_endpoints: dict[str, int] = {}
        visited: set[str] = set()
        forms = []
        while queue:
            path = queue.popleft()
            endpoint = self.endpoint(path)
            if path in visited or endpoint is None:
                continue
            visited.add(path)
            if seen_endpoints.get(endpoint, 0) >= PER_ENDPOINT:
                continue
            seen_endpoints[endpoint] = seen_endpoints.get(endpoint, 0) + 1
            response = self.get(client, path)
            for key, _value in parse_qsl(urlsplit(path).query):
                self.params.setdefault(endpoint, set()).add(key)
            if fragments and response.mimetype == "text/html":
                self.judge(client, path, self.get(client, path, headers={"HX-Request": "true"}))
            page = self.judge(client, path, response)
            if page is None or response.status_code != 200:
                continue
            for link in page.links:
                url = urljoin(path, link.replace("&amp;", "&"))
                parts = urlsplit(url)
                if parts.netloc in ("", "localhost") and not parts.path.startswith(SKIP_PREFIXES):
                    queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
            forms += [(path, form) for form in page.forms]
        return forms

    def fill(self, form: dict, numbers: bool) -> dict:
        data = {}
        for field in form["fields"]:
            name, kind = field["name"], field["type"]
            if kind == "hidden":
                data[name] = field["value"]
            elif kind in ("checkbox", "radio"):
                data.setdefault(name, field["value"] or "y")
            elif field["tag"] == "select":
                options = [o for o in field["options"] if o]
                data[name] = options[0] if options else ""
            elif kind == "number":
                data[name] = self.payload(payloads.NUMBERS) if numbers else (field["value"] or "1")
            elif kind == "date":
                data[name] = field["value"] or "2026-03-16"
            elif kind == "datetime-local":
                data[name] = field["value"] or "2026-03-16T10:00"
            elif kind == "time":
                data[name] = field["value"] or "10:00"
            elif kind in ("file", "submit", "button", "password"):
                continue
            else:
                data[name] = self.payload(payloads.TEXT)
                self.fills += 1
        return data

    def submit_forms(self, client, forms: list[tuple[str, dict]]) -> None:
        done = set()
        for page, form in forms:
            action = urljoin(page, form["action"] or page)
            endpoint = self.endpoint(action, "POST")
            names = tuple(sorted(f["name"] for f in form["fields"]))
            if form["method"] != "post":
                for name in names:  # a GET form's fields are query parameters
                    self.params.setdefault(self.endpoint(action) or "", set()).add(name)
                continue
            if endpoint is None or SKIP_ACTIONS.search(action) or (endpoint, names) in done:
                continue
            done.add((endpoint, names))
            for round_ in range(ROUNDS):
                data = self.fill(form, numbers=round_ == ROUNDS - 1)
                for field in data:
                    self.fields.add((endpoint, field))
                self.posts += 1
                response = client.post(action, data=data)
                self.saved += response.status_code in (302, 303)
                if response.status_code >= 500:
                    self.problems.append(f"{client.role} POST {action}: {response.status_code}")
                elif response.mimetype == "text/html":
                    self.judge(client, action, response)

    def query_parameters(self, client) -> None:
        """Every payload into every known parameter of every route reached."""
        for endpoint, names in sorted(self.params.items()):
            rule = next((r for r in self.app.url_map.iter_rules(endpoint) if not r.arguments), None)
            if rule is None:
                continue
            for name in sorted(names | set(COMMON_PARAMS[:3])):
                for _ in range(3):
                    value = self.payload(payloads.ALL)
                    path = f"{rule.rule}?{urlencode({name: value})}"
                    response = self.get(client, path)
                    self.judge(client, path, response)
        # And every payload at least once, on the search page and the proposal list.
        for value in payloads.ALL:
            self.used.add(value)
            for path in ("/search", "/policy/proposals"):
                url = f"{path}?{urlencode({'q': value, 'page': value})}"
                self.judge(client, url, self.get(client, url, headers={"HX-Request": "true"}))


def _client(app, users, role: str | None):
    client = app.test_client()
    client.role = role or "visitor"
    if role:
        AuthActions(client).login(getattr(users, role))
    return client


@pytest.mark.slow
def test_hostile_input_through_every_form_and_parameter_runs_nowhere(app, users):
    one_of_everything(users)
    sweep = Sweep(app)
    for role in ("resident", "mayor", "admin"):
        client = _client(app, users, role)
        sweep.submit_forms(client, sweep.crawl(client, fragments=False))
    sweep.query_parameters(_client(app, users, None))
    for role in (None, "unconfirmed", "resident", "planning", "mayor", "admin"):
        sweep.crawl(_client(app, users, role), fragments=True)
    for mail in db.session.scalars(select(OutboxMail)):
        if "\n" in mail.subject or "\r" in mail.to_address:
            sweep.problems.append(f"mail {mail.id}: header on two lines")

    report = (
        f"{len(payloads.ALL)} payloads, {sweep.fills} payload×field fills over "
        f"{len(sweep.fields)} fields in {sweep.posts} posts ({sweep.saved} saved), "
        f"{sweep.requests} pages read {sorted(sweep.kinds.items())}"
    )
    print(report)
    assert sweep.problems == [], report + "\n" + "\n".join(sweep.problems[:80])
    assert sweep.used >= set(payloads.ALL), "every payload is sent somewhere"
    assert len(payloads.ALL) >= 100 and sweep.posts > 60 and len(sweep.fields) > 100
    assert sweep.saved > 20  # payloads were stored, not only refused
    for kind in ("text/html", "text/csv", "application/atom+xml", "widget"):
        assert sweep.kinds.get(kind), f"the sweep read no {kind}"


def test_the_judge_sees_every_markup_payload_left_raw_and_none_escaped():
    """The sweep can fail: each markup payload, left unescaped in the page, an attribute,
    a textarea or the title, is seen running; escaped, it is not."""
    from markupsafe import escape

    contexts = ("<p>{}</p>", '<input value="{}">', "<input value='{}'>",
                "<textarea>{}</textarea>", "<title>{}</title>", "<style>{}</style>")  # fmt: skip
    for payload in payloads.MARKUP + payloads.MARKDOWN[-1:]:
        if payload.startswith(("&lt;", "%3C", "\\u003c")):
            continue  # already escaped forms: harmless by design
        raw = [read_page(c.format(payload)).running for c in contexts]
        assert any(raw), payload
        # (Escaping is for text and attributes; nothing of a resident's goes into <style>.)
        escaped = [read_page(c.format(escape(payload))).running for c in contexts[:-1]]
        assert not any(escaped), payload
    assert read_page("<p>49x7q</p>").running
    assert read_page('<a href=" JaVa\tScript:x7q()">x</a>').running
    assert unsafe_cells('=HYPERLINK("x")\r\n') and not unsafe_cells('\'=HYPERLINK("x"),-5\r\n')


# ---------------------------------------------------------------- properties


pieces = st.lists(
    st.sampled_from(payloads.MARKUP + payloads.MARKDOWN + payloads.TEMPLATE + payloads.UNICODE)
    | st.text(alphabet="<>\"'=/ :;&#x7qjavscrip()[]!{}%\n", max_size=12),
    max_size=5,
)


@given(pieces)
@settings(max_examples=300, deadline=None)
def test_staff_markdown_built_from_payloads_never_runs(parts):
    html = render_markdown("".join(parts))
    assert read_page(html).running == []
    assert read_page(render_markdown("\n\n".join(parts))).running == []


@given(pieces)
@settings(max_examples=300, deadline=None)
def test_residents_text_and_lines_carry_only_links_and_line_breaks(parts):
    text = "".join(parts)
    for html in (render_user_text(text), render_user_line(text)):
        page = _Tags()
        page.feed(str(html))
        assert page.tags <= {"a", "br"}, page.tags
        assert all(h.startswith(("http://", "https://")) for h in page.hrefs), page.hrefs
        assert read_page(str(html)).running == []


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.hrefs += [v or "" for k, v in attrs if k == "href"]


@given(pieces, phone_numbers())
@settings(max_examples=200, deadline=None)
def test_a_phone_number_among_payloads_is_masked_in_what_residents_see(parts, phone):
    number, middle, last = phone
    shown = str(render_user_text("".join(parts) + " " + number + " "))
    assert number not in shown and "*" * len(middle) in shown


@given(
    st.lists(st.sampled_from(payloads.CSV + payloads.CONTROL) | st.text(max_size=15), max_size=6)
)
@settings(max_examples=300, deadline=None)
def test_every_csv_cell_written_from_payloads_is_neutralised(cells):
    assert unsafe_cells(csv_text([cells])) == []
