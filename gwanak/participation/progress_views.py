"""채택 제안 추진상황: the public list of adopted proposals of every board and how far
each has come. A route on the engine's public blueprint; each board's list links here."""

from __future__ import annotations

from flask import request

from gwanak.core.htmx import render
from gwanak.core.menus import menu
from gwanak.core.params import page_arg
from gwanak.participation.boards import boards
from gwanak.participation.queries import PROGRESS_FILTERS, adopted_proposals
from gwanak.participation.views import bp, proposal_url, shown_title


@bp.route("/participation/adopted")
def progress_list():
    board = request.args.get("board") if request.args.get("board") in boards() else None
    progress = request.args.get("progress")
    progress = progress if progress in PROGRESS_FILTERS else None
    result = adopted_proposals(board, progress, page_arg())
    return render(
        "participation/progress_list.html",
        block="results",
        result=result,
        board=board,
        progress=progress,
        # Two boards are both "제안하기": the menu's name tells them apart.
        board_names={
            slug: f"{menu(spec.menu_slug).name} {spec.name}" for slug, spec in boards().items()
        },
        progress_filters=PROGRESS_FILTERS,
        proposal_url=proposal_url,
        shown_title=shown_title,
    )
