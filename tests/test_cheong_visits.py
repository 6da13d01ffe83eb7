"""Visitor statistics: one visitor counts once a day, bots never, nothing identifying is kept."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event, func, select, text

from gwanak import create_app
from gwanak.core.extensions import db
from gwanak.core.settings import set_setting
from gwanak.core.visits import Visit, VisitDay, VisitSalt, count_visit, is_bot
from tests.conftest import base_config, is_postgres

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; rv:128.0) Gecko/20100101 Firefox/128.0"
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 Chrome/126 Mobile"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def _view(client, ip: str, agent: str, path: str = "/"):
    return client.get(path, headers={"User-Agent": agent}, environ_base={"REMOTE_ADDR": ip})


def _footer(html: str) -> str:
    return html.split('<p class="visits">', 1)[1].split("</p>", 1)[0]


def test_several_visitors_over_several_days_are_counted_exactly(client, frozen):
    """Day 1: 2 addresses (one returns 5 times and with a second browser, one from two
    pages), 1 bot. Day 2: 2 return, 1 new. Day 3: nobody. Day 4: one person twice.
    Counts: 2, 3, 0, 1."""
    set_setting("visits.baseline", 400_226)
    db.session.commit()
    plan = {
        datetime(2026, 11, 2, 0, 30): [
            ("10.0.0.1", FIREFOX, "/"), ("10.0.0.1", FIREFOX, "/cheong/date-board"),
            ("10.0.0.1", FIREFOX, "/"), ("10.0.0.1", FIREFOX, "/sitemap"),
            ("10.0.0.1", FIREFOX, "/"),
            ("10.0.0.2", PHONE, "/"), ("10.0.0.2", PHONE, "/cheong/dates"),
            ("10.0.0.1", PHONE, "/"),  # same address, another browser: the same visitor
            ("66.249.66.1", GOOGLEBOT, "/"), ("66.249.66.1", GOOGLEBOT, "/sitemap"),
        ],
        datetime(2026, 11, 3, 14, 59): [  # 23:59 KST, still 3 November in Korea
            ("10.0.0.1", FIREFOX, "/"), ("10.0.0.2", PHONE, "/"), ("10.0.0.3", FIREFOX, "/"),
            ("10.0.0.3", FIREFOX, "/"),
        ],
        datetime(2026, 11, 3, 15, 1): [],  # 00:01 KST on 4 November: nobody
        datetime(2026, 11, 4, 15, 1): [("10.0.0.9", FIREFOX, "/"), ("10.0.0.9", FIREFOX, "/")],
    }  # fmt: skip
    for moment, views in plan.items():
        frozen(moment)
        for ip, agent, path in views:
            assert _view(client, ip, agent, path).status_code == 200
    days = dict(db.session.execute(select(VisitDay.day, VisitDay.visitors)).all())
    assert days == {date(2026, 11, 2): 2, date(2026, 11, 3): 3, date(2026, 11, 5): 1}
    footer = _footer(_view(client, "10.0.0.9", FIREFOX).get_data(as_text=True))
    assert footer == "누적 방문 400,232명 · 오늘 1명"
    # Only the newest day's salt survives; old hashes cannot be linked to anybody.
    assert db.session.scalars(select(VisitSalt.day)).all() == [date(2026, 11, 5)]


def test_no_ip_address_or_user_agent_is_stored_and_no_cookie_of_ours(client, frozen):
    frozen(datetime(2026, 11, 2, 3, 0))
    response = _view(client, "203.0.113.77", FIREFOX)
    # Only the site's session cookie (CSRF) is set; counting adds none.
    cookies = [c.split("=", 1)[0] for c in response.headers.getlist("Set-Cookie")]
    assert set(cookies) <= {"session"}
    with db.engine.connect() as conn:
        for table in ("visits", "visit_salts", "visit_days"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                joined = " ".join(str(v) for v in row)
                assert "203.0.113" not in joined and "Firefox" not in joined


def test_a_returning_visitor_costs_no_write(client, frozen):
    frozen(datetime(2026, 11, 2, 3, 0))
    _view(client, "10.0.0.1", FIREFOX)
    writes: list[str] = []

    def listener(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for _ in range(5):
            _view(client, "10.0.0.1", FIREFOX)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert writes == []


@pytest.mark.parametrize(
    "agent",
    [GOOGLEBOT, "", "curl/8.5.0", "python-requests/2.32", "Mozilla/5.0 (compatible; bingbot/2.0)",
     "facebookexternalhit/1.1", "Mozilla/5.0 HeadlessChrome/126"],
)  # fmt: skip
def test_bots_are_not_visitors(agent):
    assert is_bot(agent)


def test_people_are_visitors():
    assert not is_bot(FIREFOX) and not is_bot(PHONE)


def test_htmx_fragments_static_files_and_posts_are_not_views(client, frozen):
    frozen(datetime(2026, 11, 2, 3, 0))
    client.get("/cheong/date-board", headers={"User-Agent": FIREFOX, "HX-Request": "true"})
    client.get("/static/site.css", headers={"User-Agent": FIREFOX})
    client.post("/auth/login", data={}, headers={"User-Agent": FIREFOX})
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 0


def test_the_footer_is_on_every_page(client, frozen, users):
    frozen(datetime(2026, 11, 2, 3, 0))
    for path in ("/", "/cheong/date-apply", "/cheong/date-board", "/cheong/dates", "/sitemap",
                 "/auth/login", "/no-such-page"):  # fmt: skip
        html = client.get(path).get_data(as_text=True)
        assert "누적 방문 1명 · 오늘 1명" in html, path


@pytest.mark.postgres_only
@pytest.mark.skipif(not is_postgres(), reason="needs PostgreSQL")
def test_many_processes_count_each_visitor_once(app, db_url, tmp_path, frozen):
    """Eight app instances (each with its own seen-set, like gunicorn workers) at once."""
    frozen(datetime(2026, 11, 2, 3, 0))
    apps = [create_app(base_config(db_url) | {"UPLOAD_DIR": str(tmp_path)}) for _ in range(8)]
    visitors = [(f"10.1.0.{n}", FIREFOX) for n in range(25)]
    barrier = threading.Barrier(len(apps))
    errors: list[Exception] = []

    def work(worker_app):
        try:
            with worker_app.app_context():
                barrier.wait()
                for ip, agent in visitors * 2:
                    count_visit(ip, agent)
                db.session.remove()
        except Exception as exc:  # pragma: no cover - shown by the assert below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(a,)) for a in apps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for a in apps:
        with a.app_context():
            db.engine.dispose()
    assert errors == []
    assert db.session.scalar(select(VisitDay.visitors)) == 25
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 25


def test_staff_see_daily_chart_table_monthly_totals_and_average(client, auth, users, frozen):
    today = date(2026, 11, 25)
    for n in range(90):
        day = today - timedelta(days=n)
        db.session.add(VisitDay(day=day, visitors=(n % 7) + 1))
    db.session.add(VisitDay(day=today - timedelta(days=200), visitors=999))  # out of range
    db.session.commit()
    frozen(datetime(2026, 11, 25, 3, 0))
    client.environ_base["HTTP_USER_AGENT"] = ""  # not counted, so the figures stay put
    auth.login(users.planning)
    response = client.get("/cheong/staff/visits")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.count("<rect ") == 90
    assert "<svg" in html and 'role="img"' in html and "<desc" in html
    assert "<td>2026-11-25</td><td>1</td>" in html and "<td>2026-08-28</td>" in html
    counted = sum((n % 7) + 1 for n in range(90))
    assert f"{counted:,}명, 하루 평균 {counted / 90:,.1f}명" in html
    november = sum((n % 7) + 1 for n in range(25))
    assert f"<td>2026-11</td><td>{november:,}</td>" in html
    assert "<script" not in html.split("</head>", 1)[1]


def test_residents_cannot_see_the_statistics_page(client, auth, users):
    auth.login(users.resident)
    assert client.get("/cheong/staff/visits").status_code == 403
    auth.logout()
    assert client.get("/cheong/staff/visits").status_code in (302, 401)


def test_a_counting_failure_never_costs_the_page(client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from gwanak.core import visits

    def broken(*args):
        raise OperationalError("INSERT", {}, Exception("database is locked"))

    monkeypatch.setattr(visits, "count_visit", broken)
    assert _view(client, "10.0.0.1", FIREFOX).status_code == 200


def test_a_thousand_user_agents_from_one_address_are_one_visitor(client, frozen):
    frozen(datetime(2026, 11, 2, 3, 0))
    for n in range(1000):
        _view(client, "198.51.100.9", f"Mozilla/5.0 (X11; Linux) Firefox/{n}.0")
    # A phone on IPv6 rotates its own address; its /64 stays the same.
    for address in ("2001:db8:1:2::1", "2001:db8:1:2::abcd:1234", "2001:db8:1:2:f:f:f:f"):
        _view(client, address, PHONE)
    _view(client, "2001:db8:1:3::1", PHONE)  # another household
    assert db.session.scalar(select(VisitDay.visitors)) == 3
