"""The yardstick: a bare Flask app on the same database, served the same way.

`/bare/list` reads 20 proposals and renders them with a small Jinja template;
`POST /bare/write` inserts one row and bumps one counter in one transaction (the
tables `bench.served` makes). The
portal's pages are reported as multiples of these (`gunicorn bench.bare:app`)."""

from __future__ import annotations

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

from gwanak.core.config import _normalise_db_url

app = Flask(__name__)
engine = create_engine(_normalise_db_url(os.environ["DATABASE_URL"]), pool_pre_ping=False)

LIST = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>제안</title></head>
<body><h1>제안</h1><ol>{% for r in rows %}<li><a href="/policy/proposals/{{ r.id }}">{{ r.title }}</a>
<span>{{ r.category }}</span> <span>공감 {{ r.gonggam_count }}</span>
<time datetime="{{ r.created_at }}">{{ r.created_at }}</time></li>{% endfor %}</ol></body></html>"""


@app.get("/bare/list")
def bare_list():
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT id, title, category, gonggam_count, created_at FROM proposals "
                "WHERE board = 'policy' AND hidden_at IS NULL ORDER BY id DESC LIMIT 20"
            )
        ).all()
    return render_template_string(LIST, rows=rows)


@app.post("/bare/write")
def bare_write():
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO bare_rows (note) VALUES ('공감')"))
        conn.execute(text("UPDATE bare_counter SET n = n + 1 WHERE id = 1"))
    return "", 204
