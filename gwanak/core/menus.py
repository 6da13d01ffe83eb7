"""The portal's structure as data: six menus, their sub-pages and owners, the 21 동.

Read from the app's own copies in gwanak/data/, once per process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class MenuItem:
    menu_slug: str
    slug: str
    name: str
    kind: str

    @property
    def is_page(self) -> bool:
        return self.kind == "page"

    @property
    def path(self) -> str:
        return f"/{self.menu_slug}/{self.slug}"

    @property
    def page_key(self) -> str:
        return f"{self.menu_slug}/{self.slug}"


@dataclass(frozen=True)
class Menu:
    slug: str
    name: str
    owner: str
    items: tuple[MenuItem, ...]

    @property
    def path(self) -> str:
        return f"/{self.slug}"


@dataclass(frozen=True)
class Dong:
    slug: str
    name: str

    @property
    def page_key(self) -> str:
        return f"autonomy/dongs/{self.slug}"

    @property
    def office_name(self) -> str:
        return f"{self.name} 주민센터"


def _load(name: str) -> dict:
    return json.loads(resources.files("gwanak.data").joinpath(name).read_text(encoding="utf-8"))


@cache
def menus() -> tuple[Menu, ...]:
    data = _load("menus.json")
    return tuple(
        Menu(
            slug=m["slug"],
            name=m["name"],
            owner=m["owner"],
            items=tuple(MenuItem(m["slug"], i["slug"], i["name"], i["kind"]) for i in m["items"]),
        )
        for m in data["menus"]
    )


@cache
def dongs() -> tuple[Dong, ...]:
    return tuple(Dong(d["slug"], d["name"]) for d in _load("dongs.json")["dongs"])


def menu(slug: str) -> Menu:
    for m in menus():
        if m.slug == slug:
            return m
    raise KeyError(slug)


def dong(slug: str) -> Dong | None:
    return next((d for d in dongs() if d.slug == slug), None)


def dong_names() -> dict[str, str]:
    return {d.slug: d.name for d in dongs()}


@cache
def pledge_card() -> dict:
    return _load("pledge-6-1-1.json")
