"""열린 데이터 (/open-data): each dataset described with CSV and JSON downloads; the
read-only JSON API (/api/v1/datasets…) pages through the same rows, with an ETag."""

from __future__ import annotations

import json

from flask import Blueprint, Response, abort, request, stream_with_context, url_for

from gwanak.core.features import registry
from gwanak.core.htmx import render
from gwanak.core.outward import Dataset, absolute_url
from gwanak.core.settings import SettingSpec, get_setting
from gwanak.opendata.export import (
    KIND_LABELS,
    LICENCE,
    csv_download,
    describe,
    json_download,
    public_record,
)

bp = Blueprint("opendata", __name__)

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec("opendata.api_per_page", "열린 데이터 API 한 쪽의 기본 항목 수", 50, minimum=1),
    SettingSpec(
        "opendata.api_max_per_page", "열린 데이터 API 한 쪽의 최대 항목 수", 500, minimum=10
    ),
    SettingSpec(
        "opendata.cache_seconds",
        "열린 데이터 내려받기·API를 다시 묻지 않고 쓰는 시간(초)",
        300,
        minimum=0,
        maximum=86400,
    ),
)


def _dataset_or_404(slug: str) -> Dataset:
    dataset = registry().datasets.get(slug)
    if dataset is None:
        abort(404)
    return dataset


@bp.route("/open-data")
def index():
    datasets = list(registry().datasets.values())
    return render(
        "opendata/index.html",
        datasets=datasets,
        counts={d.slug: d.count() for d in datasets},
        licence=LICENCE,
        kinds=KIND_LABELS,
    )


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    # Streamed, so no ETag; a proxy may still keep a copy for a while.
    response.headers["Cache-Control"] = f"public, max-age={get_setting('opendata.cache_seconds')}"
    return response


@bp.route("/open-data/<slug>.csv")
def download_csv(slug: str):
    dataset = _dataset_or_404(slug)
    return _download(csv_download(dataset), "text/csv", f"gwanak-{dataset.slug}.csv")


@bp.route("/open-data/<slug>.json")
def download_json(slug: str):
    dataset = _dataset_or_404(slug)
    return _download(json_download(dataset), "application/json", f"gwanak-{dataset.slug}.json")


# ---------------------------------------------------------------- the JSON API


def _json(payload: dict, status: int = 200) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, mimetype="application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    if status == 200:
        response.headers["Cache-Control"] = (
            f"public, max-age={get_setting('opendata.cache_seconds')}"
        )
        response.add_etag()
        response = response.make_conditional(request)
    return response


@bp.route("/api/v1/datasets")
def api_index():
    return _json(
        {
            "licence": LICENCE,
            "datasets": [
                {
                    "dataset": d.slug,
                    "title": d.title,
                    "description": d.description,
                    "url": absolute_url(url_for("opendata.api_dataset", slug=d.slug)),
                    "csv": absolute_url(url_for("opendata.download_csv", slug=d.slug)),
                    "json": absolute_url(url_for("opendata.download_json", slug=d.slug)),
                }
                for d in registry().datasets.values()
            ],
        }
    )


@bp.route("/api/v1/datasets/<slug>")
def api_dataset(slug: str):
    dataset = registry().datasets.get(slug)
    if dataset is None:
        return _json(
            {"error": "없는 데이터입니다.", "datasets": absolute_url("/api/v1/datasets")}, 404
        )
    page = request.args.get("page", 1, type=int)
    per_page = request.args.get("per_page", get_setting("opendata.api_per_page"), type=int)
    limit = get_setting("opendata.api_max_per_page")
    if page < 1 or not 1 <= per_page <= limit:
        return _json({"error": f"page는 1 이상, per_page는 1에서 {limit} 사이여야 합니다."}, 400)
    total = dataset.count()
    pages = max(1, -(-total // per_page))
    rows = dataset.rows((page - 1) * per_page, per_page)

    def link(number: int) -> str:
        return absolute_url(
            url_for("opendata.api_dataset", slug=slug, page=number, per_page=per_page)
        )

    return _json(
        describe(dataset)
        | {
            "page": page,
            "per_page": per_page,
            "total": total,
            "pages": pages,
            "next": link(page + 1) if page < pages else None,
            "previous": link(page - 1) if page > 1 else None,
            "items": [public_record(dataset, row) for row in rows],
        }
    )
