"""/widgets/<slug>: one small cacheable page per widget the features declare, and
/embed (퍼가기): every widget with a live preview and the iframe code to copy."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, make_response, render_template, request, url_for

from gwanak.core.features import registry
from gwanak.core.htmx import render
from gwanak.core.outward import Widget, absolute_url
from gwanak.core.settings import SettingSpec, get_setting

bp = Blueprint("embeds", __name__)

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("widgets.items", "위젯 목록에 보이는 글 수", 5, minimum=1, maximum=10),
    SettingSpec(
        "widgets.cache_seconds",
        "위젯을 브라우저·프록시가 다시 묻지 않고 쓰는 시간(초)",
        300,
        minimum=0,
        maximum=86400,
    ),
)


@dataclass(frozen=True)
class EmbedSize:
    key: str
    label: str
    width: int
    height: int


# The iframe sizes 퍼가기 offers (px); the widgets reflow to any width.
EMBED_SIZES = (
    EmbedSize("small", "작게", 280, 320),
    EmbedSize("medium", "보통", 360, 420),
    EmbedSize("large", "크게", 480, 520),
)
DEFAULT_SIZE = EMBED_SIZES[1]


def _widget_or_404(slug: str) -> Widget:
    widget = registry().widgets.get(slug)
    if widget is None:
        abort(404)
    return widget


def _choice_value(widget: Widget, raw: str | None) -> str:
    """The chosen value if the widget offers it, else its default ("" when none)."""
    if widget.choice is None:
        return ""
    choices = widget.choice.choices()
    values = [value for value, _ in choices]
    if raw in values:
        return raw
    return values[0] if values else ""


@bp.route("/widgets/<slug>")
def widget(slug: str):
    the_widget = _widget_or_404(slug)
    choice = _choice_value(
        the_widget, request.args.get(the_widget.choice.name) if the_widget.choice else None
    )
    template, context = the_widget.render(choice, get_setting("widgets.items"))
    response = make_response(render_template(template, widget=the_widget, **context))
    # Cacheable by anyone for a short while, then revalidated: the ETag is the body's
    # hash, so an unchanged widget costs a 304 and no bytes.
    response.headers["Cache-Control"] = f"public, max-age={get_setting('widgets.cache_seconds')}"
    response.add_etag()
    return response.make_conditional(request)


def widget_path(widget: Widget, choice: str = "") -> str:
    if widget.choice is not None and choice:
        return url_for("embeds.widget", slug=widget.slug, **{widget.choice.name: choice})
    return url_for("embeds.widget", slug=widget.slug)


@dataclass
class EmbedOption:
    widget: Widget
    size: EmbedSize
    choice: str
    choices: list[tuple[str, str]]
    path: str

    @property
    def code(self) -> str:
        """The HTML the district homepage pastes: an iframe with a title (WCAG 4.1.2)."""
        title = f"온라인 관악청 {self.widget.title}"
        return (
            f'<iframe src="{absolute_url(self.path)}" title="{title}" '
            f'width="{self.size.width}" height="{self.size.height}" loading="lazy"></iframe>'
        )


@bp.route("/embed")
def embed_page():
    """퍼가기: each widget with a preview and its code. A GET form per widget picks the
    size (and what the widget shows) and the page answers with that widget's code."""
    sizes = {s.key: s for s in EMBED_SIZES}
    picked = request.args.get("w")
    options = []
    for the_widget in registry().widgets.values():
        mine = picked == the_widget.slug
        size = sizes.get(request.args.get("size", ""), DEFAULT_SIZE) if mine else DEFAULT_SIZE
        raw = request.args.get("choice") if mine else None
        choice = _choice_value(the_widget, raw)
        choices = the_widget.choice.choices() if the_widget.choice else []
        options.append(
            EmbedOption(the_widget, size, choice, choices, widget_path(the_widget, choice))
        )
    return render("embeds/embed.html", options=options, sizes=EMBED_SIZES, picked=picked)
