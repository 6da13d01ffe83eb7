"""Figures the portal measures itself, by key, so pledge indicators can be fed live.

Features declare `LiveFigure(key, label, count)` values in their `Feature` (e.g.
"policy.asks_per_year": agendas posted in a year); the manifesto reads them by key.
"""

from __future__ import annotations

from flask import g, has_request_context

from gwanak.core.features import LiveFigure, registry

__all__ = ["LiveFigure", "live_figure", "live_figures"]


def live_figures() -> dict[str, LiveFigure]:
    """Every live figure the app's features provide, by key."""
    return registry().live_figures


def live_figure(key: str, year: int) -> int:
    """The figure for a year; within a request each (key, year) is counted once, so a
    page listing many pledges does not repeat the same count for each of them."""
    figure = live_figures()[key]
    if not has_request_context():
        return figure.count(year)
    cache = g.setdefault("live_figures", {})
    if (key, year) not in cache:
        cache[(key, year)] = figure.count(year)
    return cache[(key, year)]
