"""Widgets for the district homepage: each a standalone page under 8 KB with no script and
no inline style, links opening in the parent, no cookie, cacheable with an ETag; only
/widgets/ may be framed, and only by WIDGET_FRAME_ANCESTORS; 퍼가기 gives the code."""

from __future__ import annotations

import re

import pytest

from gwanak import create_app
from gwanak.core.security import widget_frame_ancestors
from tests.conftest import base_config
from tests.outward_helpers import plant_personal_data

WIDGET_BUDGET = 8 * 1024
DISTRICT = "https://www.gwanak.go.kr"


@pytest.fixture
def world(app, users):
    return plant_personal_data(users)


def _widget_paths(app) -> list[str]:
    paths = []
    for widget in app.extensions["gwanak"].widgets.values():
        paths.append(f"/widgets/{widget.slug}")
        if widget.choice is not None:
            with app.test_request_context():
                for value, _ in widget.choice.choices()[1:]:
                    paths.append(f"/widgets/{widget.slug}?{widget.choice.name}={value}")
    return paths


def test_the_six_widgets_the_issue_names_exist(app):
    assert set(app.extensions["gwanak"].widgets) == {
        "proposals-waiting",
        "proposals-answered",
        "agendas-open",
        "budget-phase",
        "pledge-rates",
        "visits",
    }


def test_every_widget_is_under_8_kb_without_script_or_inline_style(app, client, world):
    paths = _widget_paths(app)
    assert "/widgets/pledge-rates?code=6-1-1" in paths
    for path in paths:
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert len(response.get_data()) < WIDGET_BUDGET, (path, len(response.get_data()))
        assert "<script" not in html.lower(), path
        assert "<style" not in html.lower() and not re.search(r"\sstyle=", html), path
        assert not re.search(r"\son[a-z]+=", html), path
        # One small stylesheet, our own.
        assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)[0].startswith(
            "/static/widget.css"
        )
        assert '<html lang="ko">' in html and "<h1" in html
        links = re.findall(r"<a [^>]*>", html)
        assert links, path
        assert all('target="_top"' in link for link in links), path


def test_the_widgets_show_what_they_promise(client, users, world):
    from datetime import date

    from gwanak.core.extensions import db
    from gwanak.policy.asks import operations as asks

    asks.post_agenda(
        users.planning,
        asks.AgendaFields(
            "governance",
            "공원 야간 조명, 어떻게 할까요?",
            "의견을 주세요.",
            date(2026, 3, 1),
            date(2026, 3, 31),
        ),
    )
    db.session.commit()
    waiting = client.get("/widgets/proposals-waiting").get_data(as_text=True)
    assert "=HYPERLINK" in waiting and "공감 0/5" in waiting  # the formula one is still open
    answered = client.get("/widgets/proposals-answered").get_data(as_text=True)
    assert "교통 불편 신고 010-****-5678" in answered and "채택" in answered
    assert "1234-5678" not in answered
    agendas = client.get("/widgets/agendas-open").get_data(as_text=True)
    assert "공원 야간 조명" in agendas and "협치의제 · 2026-03-31 마감 (21일 남음)" in agendas
    pledge = client.get("/widgets/pledge-rates?code=6-1-1").get_data(as_text=True)
    assert "6-1-1" in pledge and '<meter min="0" max="100"' in pledge
    overall = client.get("/widgets/pledge-rates").get_data(as_text=True)
    assert "평균 이행률" in overall
    visits = client.get("/widgets/visits").get_data(as_text=True)
    assert "누적 방문" in visits and "오늘 방문" in visits


def test_the_budget_widget_names_the_current_step_and_its_dates(client, users):
    from datetime import date

    from gwanak.budget.proposal_operations import save_round

    save_round(
        None,
        {
            "year": 2027,
            "proposal_starts": date(2026, 3, 1),
            "proposal_ends": date(2026, 3, 31),
            "review_ends": date(2026, 4, 30),
            "deliberation_ends": date(2026, 5, 31),
            "vote_starts": date(2026, 6, 1),
            "vote_ends": date(2026, 6, 15),
        },
        users.autonomy.id,
    )
    from gwanak.core import clock
    from tests.outward_helpers import OPEN_DAY

    clock.set_frozen(OPEN_DAY)
    html = client.get("/widgets/budget-phase").get_data(as_text=True)
    assert "2027년도 주민참여예산" in html
    assert (
        '<li aria-current="step">사업 제안 접수 <span class="meta">2026-03-01 ~ 2026-03-31' in html
    )
    assert '부서 검토 <span class="meta">2026-04-01 ~ 2026-04-30' in html


def test_a_widget_sets_no_cookie_even_for_a_signed_in_visitor(client, auth, users, world):
    auth.login(users.resident)
    client.get("/")  # the session now holds a CSRF token and the log-in
    for path in ("/widgets/proposals-waiting", "/widgets/visits", "/widgets/no-such-widget"):
        response = client.get(path)
        assert "Set-Cookie" not in response.headers, path
        assert "Cookie" not in response.headers.get("Vary", ""), path
    assert client.get("/widgets/no-such-widget").status_code == 404
    # An ordinary page still keeps the session as before.
    assert client.get("/auth/account").status_code == 200


def test_a_widget_answers_304_on_if_none_match_and_is_publicly_cacheable(client, world):
    first = client.get("/widgets/proposals-answered")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "public, max-age=300"
    again = client.get("/widgets/proposals-answered", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    other = client.get("/widgets/proposals-answered", headers={"If-None-Match": '"stale"'})
    assert other.status_code == 200 and other.headers["ETag"] == etag


def test_only_widgets_may_be_framed_and_only_by_the_configured_origins(db_url, tmp_path):
    app = create_app(
        base_config(db_url)
        | {"UPLOAD_DIR": str(tmp_path), "WIDGET_FRAME_ANCESTORS": f"{DISTRICT} 'self'"}
    )
    client = app.test_client()
    widget = client.get("/widgets/visits")
    assert widget.headers["Content-Security-Policy"].endswith(f"frame-ancestors 'self' {DISTRICT}")
    assert "X-Frame-Options" not in widget.headers
    for path in ("/", "/embed", "/policy/proposals", "/open-data", "/auth/login", "/nowhere"):
        response = client.get(path)
        assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'none'")
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_a_bad_frame_ancestors_setting_cannot_widen_the_policy():
    assert widget_frame_ancestors(None) == "'self'"
    assert widget_frame_ancestors("https://a.go.kr  http://127.0.0.2:8001") == (
        "'self' https://a.go.kr http://127.0.0.2:8001"
    )
    hostile = "* https://a.go.kr script-src; 'unsafe-inline' data: https://b.kr,https://c.kr"
    assert widget_frame_ancestors(hostile) == "'self' https://a.go.kr"
    assert widget_frame_ancestors("https://a.go.kr;script-src") == "'self'"


def test_the_embed_page_previews_each_widget_with_copyable_titled_iframe_code(app, client, world):
    response = client.get("/embed")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and len(response.get_data()) < 40 * 1024
    for slug, widget in app.extensions["gwanak"].widgets.items():
        assert f'<iframe src="/widgets/{slug}" title="미리 보기: {widget.title}"' in html
        code = (
            f"&lt;iframe src=&#34;http://127.0.0.1:5000/widgets/{slug}&#34; "
            f"title=&#34;온라인 관악청 {widget.title}&#34; width=&#34;360&#34; height=&#34;420&#34;"
        )
        assert code in html, slug
        assert f'<label for="code-{slug}">' in html and f'id="code-{slug}"' in html
    assert html.count('<select id="size-') == len(app.extensions["gwanak"].widgets)


def test_choosing_a_size_and_a_pledge_rewrites_that_widgets_code_without_javascript(client, world):
    html = client.get("/embed?w=pledge-rates&size=large&choice=6-1-1").get_data(as_text=True)
    assert (
        "&lt;iframe src=&#34;http://127.0.0.1:5000/widgets/pledge-rates?code=6-1-1&#34; "
        "title=&#34;온라인 관악청 공약 이행률&#34; width=&#34;480&#34; height=&#34;520&#34;"
    ) in html
    assert '<option value="large" selected>' in html
    assert '<option value="6-1-1" selected>' in html
    # The other widgets keep the default size; an unknown choice falls back to the default.
    assert "widgets/visits&#34; title=&#34;온라인 관악청 방문 현황&#34; width=&#34;360&#34;" in html
    odd = client.get("/embed?w=pledge-rates&size=huge&choice=9-9-9").get_data(as_text=True)
    assert "widgets/pledge-rates&#34; title" in odd and "width=&#34;360&#34;" in odd


def test_a_full_widget_of_the_longest_titles_still_fits_in_8_kb(client, users):
    from gwanak.core.extensions import db
    from gwanak.core.settings import set_setting, setting_specs
    from tests.factories import proposal, residents

    most = setting_specs()["widgets.items"].maximum
    set_setting("widgets.items", most)
    db.session.commit()
    for n, person in enumerate(residents(most + 2, prefix="긴제목")):
        proposal(person, title=f"{n:02d}" + "가나다라마바사아자차" * 9 + "카타파하가나다라")
    response = client.get("/widgets/proposals-waiting")
    assert response.get_data(as_text=True).count("<li>") == most
    assert len(response.get_data()) < WIDGET_BUDGET
