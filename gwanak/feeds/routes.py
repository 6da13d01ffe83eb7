"""/feeds (the list of every feed) and /feeds/<slug>.atom; list pages announce their
feeds with <link rel="alternate"> (the `page_feeds` template helper)."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, request

from gwanak.core.features import registry
from gwanak.core.htmx import render
from gwanak.core.outward import Feed
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.feeds.atom import atom_document

bp = Blueprint("feeds", __name__)

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("feeds.entries", "피드 하나에 싣는 글 수", 30, minimum=5, maximum=200),
    SettingSpec(
        "feeds.cache_seconds", "피드를 다시 묻지 않고 쓰는 시간(초)", 600, minimum=0, maximum=86400
    ),
)


@bp.route("/feeds")
def feed_index():
    groups: dict[str, list[Feed]] = {}
    for feed in registry().feeds.values():
        groups.setdefault(feed.group or "기타", []).append(feed)
    return render("feeds/index.html", groups=groups)


@bp.route("/feeds/<slug>.atom")
def feed(slug: str):
    the_feed = registry().feeds.get(slug)
    if the_feed is None:
        abort(404)
    document = atom_document(the_feed, the_feed.entries(get_setting("feeds.entries")))
    response = Response(document, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = f"public, max-age={get_setting('feeds.cache_seconds')}"
    response.add_etag()
    return response.make_conditional(request)


def page_feeds() -> list[Feed]:
    """The feeds this page announces in its <head> (Feed.pages names the pages)."""
    path = request.path.rstrip("/") or "/"
    return [feed for feed in registry().feeds.values() if path in feed.pages]


def install_feed_links(app: Flask) -> None:
    app.jinja_env.globals["page_feeds"] = page_feeds
