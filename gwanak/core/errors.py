"""Korean error pages that never show a stack trace."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DataError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    PendingRollbackError,
)
from werkzeug.exceptions import HTTPException

from gwanak.core.htmx import is_htmx

MESSAGES = {
    400: ("잘못된 요청", "요청을 처리할 수 없습니다. 입력한 내용을 확인하고 다시 시도하세요."),
    401: ("로그인이 필요합니다", "이 기능은 로그인한 뒤에 이용할 수 있습니다."),
    403: ("권한이 없습니다", "이 페이지나 기능을 이용할 권한이 없습니다."),
    404: ("페이지를 찾을 수 없습니다", "주소가 바뀌었거나 삭제된 페이지입니다."),
    405: ("허용되지 않은 요청", "이 주소는 그 방식으로 요청할 수 없습니다."),
    409: ("처리할 수 없는 상태", "이미 처리되었거나 지금은 할 수 없는 작업입니다."),
    410: ("만료된 링크", "링크가 만료되었습니다."),
    413: ("파일이 너무 큽니다", "올릴 수 있는 크기를 넘었습니다."),
    415: ("받을 수 없는 형식", "이 주소는 웹 양식으로 보낸 내용만 받습니다."),
    429: ("요청이 너무 많습니다", "잠시 후 다시 시도하세요."),
    500: ("일시적인 오류", "서버에서 오류가 발생했습니다. 잠시 후 다시 시도하세요."),
    503: (
        "잠시 서비스를 이용할 수 없습니다",
        "데이터베이스에 잠시 연결할 수 없습니다. 보내신 내용은 저장되지 않았습니다. "
        "잠시 후 다시 시도하세요.",
    ),
}

# Seconds a client is asked to wait after a database outage (Retry-After).
RETRY_AFTER_SECONDS = 30
# The database is unreachable or the connection was cut (also "database is locked",
# deadlocks and serialisation failures, which psycopg reports as OperationalError).
DATABASE_DOWN = (OperationalError, InterfaceError, DisconnectionError, PendingRollbackError)


def register_error_handlers(app: Flask) -> None:
    def page(code: int, detail: str | None = None):
        title, message = MESSAGES.get(code, MESSAGES[500])
        return render_template(
            "errors/error.html", code=code, title=title, message=detail or message
        ), code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return page(
            400, "보안 토큰이 없거나 만료되었습니다. 페이지를 새로 고친 뒤 다시 제출하세요."
        )

    @app.errorhandler(401)
    def unauthorized(error):
        if is_htmx():  # (so the answer also says Vary: HX-Request)
            return page(401)
        # Send people to log in and back: to this page, or after a POST to the page
        # whose form they used.
        target = request.full_path.rstrip("?")
        if request.method != "GET":
            referrer = urlsplit(request.referrer or "")
            same_site = not referrer.netloc or referrer.netloc == request.host
            target = (referrer.path or "/") if same_site else "/"
        return redirect(url_for("auth.login", next=target))

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return page(error.code or 500)

    @app.errorhandler(DataError)
    def data_error(error: DataError):
        # The database refused a value (NUL in PostgreSQL text, a number out of range):
        # bad input that slipped past a form, not a server fault.
        app.logger.warning("database refused a value: %s", error.orig)
        from gwanak.core.extensions import db

        db.session.rollback()
        return page(400)

    def database_down(error: Exception):
        # The transaction is lost with its connection: nothing of it was committed. The
        # page needs no database (no current_user, no footer figures); the pool drops
        # the dead connection (SQLAlchemy invalidates it on a disconnect, and
        # pool_pre_ping tests the others), so the next request works without a restart.
        app.logger.warning("database unavailable: %s", error)
        from gwanak.core.extensions import db

        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection may be gone; the pool recovers
            app.logger.info("rollback after a lost connection failed", exc_info=True)
        title, message = MESSAGES[503]
        html = render_template("errors/unavailable.html", title=title, message=message)
        return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}

    for kind in DATABASE_DOWN:
        app.register_error_handler(kind, database_down)

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("Unhandled error")
        from gwanak.core.extensions import db

        db.session.rollback()
        return page(500)
