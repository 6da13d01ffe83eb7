"""One template, two deliveries: the full page, or the fragment for htmx."""

from __future__ import annotations

from gwanak.core.htmx import redirect_or_render, render


def test_a_page_without_hx_request_is_the_whole_document(client):
    html = client.get("/budget/about").get_data(as_text=True)
    assert html.startswith("<!doctype html>") and "<nav" in html and "<h1>소개</h1>" in html


def test_the_same_route_with_hx_request_answers_only_the_fragment(client):
    html = client.get("/budget/about", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<h1>소개</h1>" in html
    assert "<html" not in html and "<header" not in html and "전체 메뉴" not in html


def test_the_helpers_directly(app):
    with app.test_request_context("/", headers={"HX-Request": "true"}):
        fragment = render("not_ready.html", block="content", menu=_menu(), item=_menu().items[1])
        assert "<html" not in fragment and "준비 중" in fragment
        assert "<html" not in redirect_or_render(
            "/x", "not_ready.html", "content", menu=_menu(), item=_menu().items[1]
        )
    with app.test_request_context("/"):
        page = render("not_ready.html", block="content", menu=_menu(), item=_menu().items[1])
        assert "<html" in page
        response = redirect_or_render("/policy", "not_ready.html", "content")
        assert response.status_code == 303 and response.headers["Location"] == "/policy"


def _menu():
    from gwanak.core.menus import menu

    return menu("policy")
