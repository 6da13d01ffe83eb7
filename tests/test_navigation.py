"""The menu on every page matches menus.json; every page is reachable from home alone."""

from __future__ import annotations

import json
import re
from collections import deque
from pathlib import Path

from tests.factories import stored_pages

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
APP_DATA = Path(__file__).resolve().parents[1] / "gwanak" / "data"


def _menus() -> dict:
    source = SHARED / "menus.json" if (SHARED / "menus.json").exists() else APP_DATA / "menus.json"
    return json.loads(source.read_text(encoding="utf-8"))


def _dongs() -> list[dict]:
    source = SHARED / "dongs.json" if (SHARED / "dongs.json").exists() else APP_DATA / "dongs.json"
    return json.loads(source.read_text(encoding="utf-8"))["dongs"]


def test_the_app_ships_the_same_facts_as_shared_data():
    for name in ("menus.json", "dongs.json", "pledge-6-1-1.json"):
        if (SHARED / name).exists():
            assert json.loads((APP_DATA / name).read_text()) == json.loads(
                (SHARED / name).read_text()
            )


def test_every_page_carries_all_six_menus_with_all_their_sub_pages(client):
    for path in ("/", "/budget/about", "/auth/login", "/does-not-exist"):
        html = client.get(path).get_data(as_text=True)
        for menu in _menus()["menus"]:
            assert f'href="/{menu["slug"]}"' in html, (path, menu["slug"])
            assert menu["name"] in html
            for item in menu["items"]:
                assert f'href="/{menu["slug"]}/{item["slug"]}"' in html, (path, item["slug"])
                assert item["name"].replace("!", "") in html.replace("!", "")


def test_the_menu_is_a_disclosure_that_works_without_javascript(client):
    html = client.get("/").get_data(as_text=True)
    assert '<details class="site-menu">' in html and "<summary>전체 메뉴</summary>" in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert '<html lang="ko">' in html


def test_every_page_sub_page_and_all_21_dong_pages_are_reachable_from_home(client):
    stored_pages()
    wanted = {
        f"/{m['slug']}/{i['slug']}"
        for m in _menus()["menus"]
        for i in m["items"]
        if i["kind"] == "page"
    } | {f"/autonomy/dongs/{d['slug']}" for d in _dongs()}
    assert len(wanted) == 12 + 21

    seen: set[str] = set()
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code == 302 and "/auth/login" in response.headers["Location"]:
            continue  # a page for signed-in people (e.g. writing a proposal)
        assert response.status_code == 200, path
        for href in re.findall(r'href="(/[^"#?]*)"', response.get_data(as_text=True)):
            if href.startswith(("/static", "/auth", "/staff")) or href in seen:
                continue
            queue.append(href)
    missing = wanted - seen
    assert not missing, missing


def test_stored_pages_show_their_title_as_the_only_h1(client):
    stored_pages()
    html = client.get("/manifesto/vision").get_data(as_text=True)
    assert html.count("<h1") == 1 and "<h1>민선8기 비전과 약속</h1>" in html
