"""The portal's own floor for a write: the real app (`create_app`, the same session,
login, CSRF, limits and response hooks) with one extra route that does bare's write and
nothing else — no proposal, no rule — then flashes and redirects as 공감 does.

`gunicorn bench.floor:app`, timed beside bench.bare in `bench.served`: what the stack
costs a signed-in form post before any of the portal's own work. Never part of the
portal: only the benchmark serves it."""

from __future__ import annotations

from flask import abort, flash, redirect
from flask_login import current_user
from sqlalchemy import text

from gwanak import create_app
from gwanak.core.extensions import db

app = create_app()


def floor_write():
    if not current_user.is_authenticated:
        abort(401)
    db.session.execute(text("INSERT INTO bare_rows (note) VALUES ('공감')"))
    db.session.execute(text("UPDATE bare_counter SET n = n + 1 WHERE id = 1"))
    db.session.commit()
    flash("공감했습니다.", "success")
    return redirect("/policy/proposals", code=303)


app.add_url_rule("/bench/floor", "bench_floor", floor_write, methods=["POST"])
