"""/search: asks each content type's provider (proposals of every board, agendas,
notices, stored pages, budget projects, pledges) and shows their hits side by side."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, request
from sqlalchemy import union_all

from gwanak.core.extensions import db
from gwanak.core.features import registry
from gwanak.core.htmx import render
from gwanak.core.outward import SearchProvider, SearchResult
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.core.text_search import SearchTerm

bp = Blueprint("search", __name__)

QUERY_MAX = 50
# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        "search.per_type", "통합 검색: 종류마다 먼저 보여 주는 결과 수", 5, minimum=1, maximum=20
    ),
    SettingSpec(
        "search.per_page", "통합 검색: 한 종류만 볼 때 결과 수", 30, minimum=5, maximum=100
    ),
    # Two syllables (교통, 주차, 공원) are whole words in Korean: they must be searchable.
    SettingSpec("search.min_chars", "통합 검색어 최소 글자 수", 2, minimum=1, maximum=5),
)


@dataclass
class Section:
    provider: SearchProvider
    result: SearchResult


def search_everything(term: str, limit: int, only: str | None = None) -> list[Section]:
    """Each provider's first `limit` hits for the term (one provider with `only`);
    content types with no hit are left out. One statement: every provider's select
    (hits and total) as branches of one UNION ALL."""
    chosen = [p for key, p in registry().search.items() if not only or key == only]
    if not chosen:
        return []
    bound = SearchTerm(term, limit)
    found: dict[str, list] = {}
    for row in db.session.execute(_statement(chosen, bound), bound.params()):
        found.setdefault(row.source, []).append(row)
    sections = []
    for provider in chosen:
        rows = sorted(found.get(provider.key, ()), key=lambda row: row.pos)
        if rows:
            hits = [hit for row in rows if (hit := provider.hit(row, term)) is not None]
            result = SearchResult(hits, rows[0].total, provider.more_path(term))
            sections.append(Section(provider, result))
    return sections


def _statement(chosen: list[SearchProvider], term: SearchTerm):
    """The providers' selects as one UNION ALL, built once per app, providers and shape
    of term (a handful in all) and run with each term's parameters."""
    built = current_app.extensions.setdefault("search.statements", {})
    key = (tuple(p.key for p in chosen), term.shape)
    if key not in built:
        branches = [p.query(term) for p in chosen]
        built[key] = branches[0] if len(branches) == 1 else union_all(*branches)
    return built[key]


@bp.route("/search")
def search():
    term = (request.args.get("q") or "").strip()[:QUERY_MAX]
    only = request.args.get("type") or None
    providers = registry().search
    if only not in providers:
        only = None
    error = None
    sections: list[Section] = []
    minimum = get_setting("search.min_chars")
    if term and len(term) < minimum:
        error = f"검색어를 {minimum}글자 이상 입력하세요."
    elif term:
        limit = get_setting("search.per_page" if only else "search.per_type")
        sections = search_everything(term, limit, only)
    status = 422 if error else 200
    return render(
        "search/results.html",
        block="results",
        term=term,
        only=only,
        providers=providers,
        sections=sections,
        error=error,
        query_max=QUERY_MAX,
    ), status
