"""One template, two deliveries: the full page, or the fragment for htmx."""

from __future__ import annotations

import re

from gwanak.core.htmx import redirect_or_render, render


def test_a_page_without_hx_request_is_the_whole_document(client):
    html = client.get("/budget/about").get_data(as_text=True)
    assert html.startswith("<!doctype html>") and "<nav" in html and "<h1>소개</h1>" in html


def test_the_same_route_with_hx_request_answers_only_the_fragment(client):
    html = client.get("/budget/about", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<h1>소개</h1>" in html
    assert "<html" not in html and "<header" not in html and "전체 메뉴" not in html


def test_a_history_restore_request_gets_the_whole_page(client):
    """Back after a filter pushed a URL: htmx rebuilds the page from the answer."""
    for path in ("/policy/proposals?state=gathering", "/budget/about", "/manifesto/pledges"):
        response = client.get(
            path, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
        )
        html = response.get_data(as_text=True)
        assert html.startswith("<!doctype html>"), path
        assert "<header" in html and "전체 메뉴" in html and "<footer" in html, path
        assert "HX-History-Restore-Request" in response.headers["Vary"], path
    fragment = client.get("/policy/proposals?state=gathering", headers={"HX-Request": "true"})
    assert "<header" not in fragment.get_data(as_text=True)


def test_filters_push_a_url_only_when_applied_not_on_each_change():
    """Each arrow key on a closed select fires `change`: a filter form waits for its
    submit (the default trigger of a form) before it asks and pushes a history entry."""
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    pushing = []
    for template in templates.rglob("*.html"):
        for tag in re.findall(r"<form[^>]*hx-push-url[^>]*>", template.read_text()):
            pushing.append(template.name)
            assert "hx-trigger" not in tag, template
    assert len(pushing) >= 5  # the three boards share proposal_list.html


def test_htmx_attributes_use_the_valid_data_prefix():
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "templates"
    for template in templates.rglob("*.html"):
        bare = re.findall(r"[\s<](hx-[a-z-]+)=", template.read_text())
        assert not bare, (template, bare)


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
