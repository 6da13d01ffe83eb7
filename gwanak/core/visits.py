"""Visitor statistics without storing who visited (개인정보 보호법).

A visit is one visitor on one Korean day. The visitor is a SHA-256 of (day, network)
with a random salt made for that day — the network is the IPv4 address or the IPv6 /64,
and not the User-Agent, which anybody can vary at will to count as a thousand visitors
(the agent only tells bots apart). Yesterday's salt is deleted once a new day starts,
so yesterday's hashes can no longer be linked to anybody. No IP, no cookie.

Counting is cheap: each process remembers the hashes it has already counted today
(a seen-set), so a returning visitor costs no write at all; a new one costs one
`INSERT … ON CONFLICT DO NOTHING` into `visits` (unique per day and hash), and only
when that row is new, one atomic `UPDATE visit_days SET visitors = visitors + 1`.
Several processes therefore count each visitor exactly once a day.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time
from datetime import date

from flask import Flask, current_app, request
from sqlalchemy import Date, Integer, String, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.security import client_network
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.core.sql import insert_ignoring

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        "visits.baseline",
        "이 시스템 이전의 누적 방문 수",
        0,
        help="옛 시스템이 센 방문 수를 누적 방문에 더합니다 (카드: 2023-12-18 기준 400,226명).",
    ),
)

# Crawlers, link previews, monitors and command-line clients are not visitors.
BOT_RE = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"pingdom|uptime|lighthouse|headlesschrome|phantomjs|curl|wget|python-|httpx|"
    r"go-http-client|java/|okhttp|libwww|scrapy|feedfetcher",
    re.IGNORECASE,
)
SEEN_LIMIT = 200_000  # per process and day; beyond it the database still deduplicates


class VisitSalt(db.Model):
    """The random salt of one day; deleted when the next day's salt is made."""

    __tablename__ = "visit_salts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    salt: Mapped[str] = mapped_column(String(64))


class Visit(db.Model):
    """One visitor on one day, known only by a salted hash."""

    __tablename__ = "visits"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    visitor_hash: Mapped[str] = mapped_column(String(64), primary_key=True)


class VisitDay(db.Model):
    """Visitors per day: what the footer and the statistics page read."""

    __tablename__ = "visit_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    visitors: Mapped[int] = mapped_column(Integer, default=0)


def is_bot(user_agent: str | None) -> bool:
    return not user_agent or bool(BOT_RE.search(user_agent))


class _State:
    """Per-process memory: today's salt and the hashes already counted today."""

    def __init__(self) -> None:
        self.day: date | None = None
        self.salt: str = ""
        self.seen: set[str] = set()
        # The footer's figures, kept a short while so pages do not sum them each time.
        self.totals: tuple[int, int] | None = None
        self.totals_day: date | None = None
        self.totals_until = 0.0


def _state() -> _State:
    return current_app.extensions.setdefault("visits", _State())


def _salt_for(conn, day: date) -> str:
    insert_ignoring(conn, VisitSalt, {"day": day, "salt": secrets.token_hex(32)})
    # Older salts are gone for good: old hashes become unlinkable.
    conn.execute(VisitSalt.__table__.delete().where(VisitSalt.day < day))
    return conn.execute(select(VisitSalt.salt).where(VisitSalt.day == day)).scalar_one()


def visitor_hash(salt: str, day: date, ip: str | None) -> str:
    network = client_network(ip)
    return hashlib.sha256(f"{salt}|{day.isoformat()}|{network}".encode()).hexdigest()


def count_visit(ip: str | None, user_agent: str | None) -> bool:
    """Count this visitor once for today; True when this was their first view today."""
    if is_bot(user_agent):
        return False
    state = _state()
    day = clock.today()
    if state.day != day:
        state.day, state.salt, state.seen = day, "", set()
    with db.engine.begin() as conn:
        if not state.salt:
            state.salt = _salt_for(conn, day)
        digest = visitor_hash(state.salt, day, ip)
        if digest in state.seen:
            return False
        is_new = insert_ignoring(conn, Visit, {"day": day, "visitor_hash": digest})
        if is_new:
            insert_ignoring(conn, VisitDay, {"day": day, "visitors": 0})
            conn.execute(
                update(VisitDay).where(VisitDay.day == day).values(visitors=VisitDay.visitors + 1)
            )
    if len(state.seen) >= SEEN_LIMIT:
        state.seen.clear()
    state.seen.add(digest)
    if is_new and state.totals is not None and state.totals_day == day:
        state.totals = (state.totals[0] + 1, state.totals[1] + 1)
    return is_new


FOOTER_SECONDS = 30


def footer_totals() -> tuple[int, int]:
    """visit_totals() for the footer: exact for this process's own counts, and at most
    FOOTER_SECONDS behind other processes' — without two queries on every page."""
    state = _state()
    day = clock.today()
    now = time.monotonic()
    if state.totals is None or state.totals_day != day or now >= state.totals_until:
        state.totals = visit_totals()
        state.totals_day = day
        state.totals_until = now + FOOTER_SECONDS
    return state.totals


def visit_totals() -> tuple[int, int]:
    """(cumulative visits including the baseline, visits today) in one query."""
    today = clock.today()
    total, today_count = db.session.execute(
        select(
            func.coalesce(func.sum(VisitDay.visitors), 0),
            func.coalesce(func.sum(VisitDay.visitors).filter(VisitDay.day == today), 0),
        )
    ).one()
    return int(total) + int(get_setting("visits.baseline")), int(today_count)


def visits_widget(choice: str, limit: int) -> tuple[str, dict]:
    """방문 현황 (a widget): cumulative visitors with the baseline, and today's."""
    total, today = visit_totals()
    return "widget_visits.html", {"total": total, "today": today, "day": clock.today()}


def daily_visits(first: date, last: date) -> dict[date, int]:
    rows = db.session.execute(
        select(VisitDay.day, VisitDay.visitors).where(VisitDay.day.between(first, last))
    )
    return {day: visitors for day, visitors in rows}


def forget_old_visitors(before: date) -> int:
    """Delete visitor hashes of days before `before` (the daily counts stay)."""
    result = db.session.execute(Visit.__table__.delete().where(Visit.day < before))
    return result.rowcount or 0


def _countable() -> bool:
    if request.method != "GET" or request.headers.get("HX-Request") == "true":
        return False
    path = request.path
    return not path.startswith(("/static/", "/uploads/", "/widgets/")) and path != "/favicon.ico"


def _forget_failed_transaction() -> None:
    # Leave the session usable for the page (or its own clean 503 if the database is down).
    try:
        db.session.rollback()
    except SQLAlchemyError:
        current_app.logger.info("rollback after a missed visit failed", exc_info=True)


def install_visit_counter(app: Flask) -> None:
    """Count page views (GET, not htmx fragments, not files) and offer the footer figures."""

    @app.before_request
    def _count_visit():
        if _countable():
            try:
                count_visit(request.remote_addr, request.headers.get("User-Agent"))
            except SQLAlchemyError:  # a missed count must never cost a resident the page
                current_app.logger.warning("visit not counted", exc_info=True)
                _forget_failed_transaction()

    @app.context_processor
    def _visit_footer():
        def visit_figures() -> tuple[int, int] | None:
            try:
                return footer_totals()
            except SQLAlchemyError:  # an error page must still render
                return None

        return {"visit_figures": visit_figures}
