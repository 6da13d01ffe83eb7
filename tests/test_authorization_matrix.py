"""The authorisation matrix: every route of app.url_map × every role × GET and POST.

Each route's declared permission is read from its view (the decorators in
gwanak.core.permissions mark the view with `access`; Flask-Login's login_required is
recognised by its wrapper), and every address with a `staff` segment is back office. The
world comes from tests/factories.py, and each address is filled with the ids of that
world. For every (route, role, method):

- no answer is a 5xx;
- a role below the declared permission is refused: a visitor is sent to log in (or
  401), a signed-in role gets 403 (404 when the object is not theirs to know);
- every refusal (4xx, or the log-in redirect) leaves the database exactly as it was
  (a fingerprint of every table), so nothing is changed without authorisation;
- an unconfirmed resident changes no participation table, whatever the answer.

The whole matrix runs once per database (SQLite, and PostgreSQL in that pass): it is
one slow test (`slow` marker) rather than thousands of small ones.
"""

from __future__ import annotations

import hashlib

import pytest
from flask_login import login_required
from sqlalchemy import select, text
from werkzeug.routing import AnyConverter

from gwanak.core.extensions import db
from tests.conftest import AuthActions
from tests.factories import one_of_everything

ROLES = (
    "anonymous",
    "unconfirmed",
    "resident",
    "boramae",  # 보라매동 주민센터
    "audit",  # 감사담당관: 관악청
    "planning",  # 기획예산과: 정책참여, 매니페스토
    "autonomy",  # 자치행정과: 주민참여예산, 협치관악, 주민자치
    "mayor",
    "admin",
)
# What each declared permission lets in.
ALLOWED = {
    "public": set(ROLES),
    "login": set(ROLES) - {"anonymous"},
    "resident": {"unconfirmed", "resident"},
    "staff": {"boramae", "audit", "planning", "autonomy", "admin"},
    "back_office": {"boramae", "audit", "planning", "autonomy", "mayor", "admin"},
    "admin": {"admin"},
}
SKIP = {
    "static": "files",
    "uploads.serve": "stored files (tests/test_uploads.py)",
    "favicon": "a file",
}
# Rows that any request may write: the visit counter, log-in throttles and the mail a
# public form sends (reset, sign-up) are not changes of what someone is allowed to change.
VOLATILE = {"visits", "visit_salts", "login_throttles"}
PARTICIPATION_TABLES = ("gonggam", "comments", "proposals", "poll_votes", "budget_votes")
POST_DATA = {
    "title": "권한 점검",
    "body": "권한 점검 본문입니다.",
    "body_md": "권한 점검 본문입니다.",
    "reason": "권한 점검",
    "note": "권한 점검",
    "action": "give",
    "option": "1",
    "category": "안전",
    "confirm": "y",
}
_LOGIN_REQUIRED_CODE = login_required(lambda: None).__code__


def declared_access(rule, view) -> str:
    """The permission a route declares: the strictest marker on its decorator chain; an
    address with a `staff` segment is back office whatever it declares."""
    found = "public"
    order = list(ALLOWED)
    while view is not None:
        marker = getattr(view, "access", None)
        if view.__code__ is _LOGIN_REQUIRED_CODE:
            marker = "login"
        if marker and order.index(marker) > order.index(found):
            found = marker
        view = getattr(view, "__wrapped__", None)
    if "staff" in rule.rule.strip("/").split("/") and found in ("public", "login"):
        found = "back_office"
    return found


def _values(rule, world) -> dict:
    prefix = rule.rule.split("/")[1]
    pid = {"governance": world["governance"], "budget": world["budget"]}.get(
        prefix, world["policy"]
    )
    fixed = {
        "pid": pid,
        "cid": world["comment"],
        "target_id": world["comment"],
        "year": world["year"],
        "code": world["code"],
        "month_str": "2026-02",
        "key": "budget/about",
        "slug": "boramae" if prefix == "autonomy" else "privacy",
        "item_slug": "about",
        "kind": "members",
        "action": "hide",
        "target_type": "comment",
        "token": "not-a-token",
        "fmt": "csv",
    }
    values = {
        name: fixed.get(name, 1)
        for name in rule.arguments
        if name not in (rule.defaults or {}) or name in ("slug",)
    }
    # An <any(…)> segment takes one of its own words (moderation's hide/restore, an
    # agenda's extend/close/withdraw).
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter) and values.get(name) not in converter.items:
            values[name] = sorted(converter.items)[0]
    return values


def _fingerprint() -> dict[str, str]:
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in VOLATILE:
                continue
            rows = conn.execute(select(table)).all()
            out[table.name] = hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()
    return out


def _participation_rows() -> tuple:
    with db.engine.connect() as conn:
        return tuple(
            conn.execute(text(f"SELECT count(*) FROM {name}")).scalar()
            for name in PARTICIPATION_TABLES
        )


def _is_refusal(response) -> bool:
    if response.status_code == 302 and "/auth/login" in response.headers.get("Location", ""):
        return True
    return 400 <= response.status_code < 500


def _clients(app, users) -> dict:
    clients = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            AuthActions(client).login(getattr(users, role))
        clients[role] = client
    return clients


_KNOWN: dict[str, dict] = {}


def _check_cell(client, role: str, method: str, path: str, access: str, problems: list) -> int:
    """One request of the matrix; what is wrong with its answer goes into `problems`."""
    # The fingerprint after a refused POST is the one before the next POST unless a GET
    # came between (reading personal data is audited): POST-only routes cost one each.
    if method == "GET":
        _KNOWN.clear()
    before = (_KNOWN.pop("state", None) or _fingerprint()) if method == "POST" else None
    taking_part = _participation_rows() if role == "unconfirmed" else None
    response = client.open(path, method=method, data=POST_DATA if method == "POST" else None)
    where = f"{method} {path} as {role} ({access})"
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
        return response.status_code
    if role not in ALLOWED[access]:
        if role == "anonymous":
            refused = _is_refusal(response)
        else:
            refused = response.status_code in (403, 404)
        if not refused:
            problems.append(f"{where}: not refused ({response.status_code})")
    if method == "POST" and _is_refusal(response):
        after = _fingerprint()
        changed = [k for k, v in after.items() if before.get(k) != v]
        _KNOWN["state"] = after
        if changed:
            problems.append(f"{where}: refused but changed {changed}")
    if taking_part is not None and _participation_rows() != taking_part:
        problems.append(f"{where}: an unconfirmed resident took part")
    return response.status_code


@pytest.mark.slow
def test_every_route_for_every_role_answers_as_its_declared_permission_says(app, users):
    _KNOWN.clear()
    world = one_of_everything(users)
    clients = _clients(app, users)
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint not in SKIP), key=lambda r: r.rule
    )
    problems: list[str] = []
    cells = 0
    declared = {}
    statuses: dict[int, int] = {}
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        access = declared_access(rule, view)
        declared[rule.endpoint] = access
        with app.test_request_context():
            from flask import url_for

            try:
                path = url_for(rule.endpoint, **_values(rule, world))
            except Exception as error:  # noqa: BLE001 - reported, not hidden
                problems.append(f"{rule.rule}: cannot build ({error})")
                continue
        for role in ROLES:
            client = clients[role]
            for method in ("GET", "POST"):
                if method not in rule.methods:
                    continue
                cells += 1
                status = _check_cell(client, role, method, path, access, problems)
                statuses[status] = statuses.get(status, 0) + 1
                if rule.endpoint in ("auth.logout", "auth.delete_account") and role != "anonymous":
                    AuthActions(client).login(getattr(users, role))
    print(
        f"{len(rules)} routes × {len(ROLES)} roles: {cells} cells; answers {sorted(statuses.items())}"
    )
    from collections import Counter

    print("declared:", Counter(declared.values()))
    assert problems == [], f"{len(problems)} problems in {cells} cells:\n" + "\n".join(problems)
    # The matrix covered the app: every route, and routes of every kind of permission.
    assert len(declared) == len(rules) and cells > 1000
    assert {"public", "login", "resident", "staff", "back_office", "admin"} <= set(
        declared.values()
    )
