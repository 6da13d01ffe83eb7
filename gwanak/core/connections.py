"""Pooled PostgreSQL connections are checked before use without a round trip.

A connection the server closed while it sat in the pool (restart, failover,
`pg_terminate_backend`, `idle_session_timeout`) must be replaced, not handed to a
resident's request to fail with a 503 (tests/test_faults.py). SQLAlchemy's
`pool_pre_ping` does that with a `SELECT 1` on every checkout: one more round trip on
every request, the busiest writes included. A server that closes a connection first
sends its reason and then the end of the stream, so an idle connection whose socket
has anything to read has been closed (at worst a notice: then one reconnect too many).
Only a connection idle for longer than `PING_AFTER_IDLE` seconds, which a firewall
may have dropped without a word, still gets the ping.

SQLite needs neither: the database is a file in the same process.
"""

from __future__ import annotations

import select
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError

PING_AFTER_IDLE = 30.0  # seconds


def closed_by_server(dbapi_connection) -> bool:
    """True when the server has closed (or is closing) this idle connection."""
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    try:
        readable, _, _ = select.select([dbapi_connection.fileno()], [], [], 0)
    except (OSError, ValueError):  # the socket itself is gone
        return True
    return bool(readable)


def install_connection_checks(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    dialect = engine.dialect

    @event.listens_for(engine, "checkin")
    def _stamp(dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _check(dbapi_connection, record, proxy) -> None:
        # Raising DisconnectionError makes the pool drop this one and connect anew.
        if closed_by_server(dbapi_connection):
            raise DisconnectionError("closed by the server while idle")
        idle = time.monotonic() - record.info.get("idle_since", time.monotonic())
        if idle > PING_AFTER_IDLE and not _answers(dialect, dbapi_connection):
            raise DisconnectionError("no answer after a long idle")


def _answers(dialect, dbapi_connection) -> bool:
    try:
        return bool(dialect.do_ping(dbapi_connection))
    except dialect.loaded_dbapi.Error:
        return False
