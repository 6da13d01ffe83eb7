"""Figures the portal measures itself, by name, so pledge indicators can be fed live.

Features register a source (e.g. "policy.asks_per_year": agendas posted in a year);
the manifesto reads them by key. A source is a function of the year returning a count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


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
    return LIVE_SOURCES[key].count(year)
