"""Figures the portal measures itself, by name, so pledge indicators can be fed live.

Features register a source (e.g. "policy.asks_per_year": agendas posted in a year);
the manifesto reads them by key. A source is a function of the year returning a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_request_context


@dataclass(frozen=True)
class LiveSource:
    key: str
    label: str
    count: Callable[[int], int]


LIVE_SOURCES: dict[str, LiveSource] = {}


def live_source(key: str, label: str):
    """Decorator: register `func(year) -> int` as the live figure `key`."""

    def register(func: Callable[[int], int]) -> Callable[[int], int]:
        LIVE_SOURCES[key] = LiveSource(key, label, func)
        return func

    return register


def live_figure(key: str, year: int) -> int:
    """The figure for a year; within a request each (key, year) is counted once, so a
    page listing many pledges does not repeat the same count for each of them."""
    if not has_request_context():
        return LIVE_SOURCES[key].count(year)
    cache = g.setdefault("live_figures", {})
    if (key, year) not in cache:
        cache[(key, year)] = LIVE_SOURCES[key].count(year)
    return cache[(key, year)]
