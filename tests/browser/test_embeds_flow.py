"""The district homepage frames a widget: a page served from a second loopback origin
(127.0.0.2, listed in WIDGET_FRAME_ANCESTORS for the live app) shows the widget, and
the browser refuses to show an ordinary portal page in the same kind of frame."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def _district_page(portal: str) -> bytes:
    return f"""<!doctype html>
<html lang="ko"><head><meta charset="utf-8"><title>관악구청 누리집</title></head>
<body><h1>관악구청</h1>
<iframe id="widget" src="{portal}/widgets/visits" title="온라인 관악청 방문 현황" width="360" height="300"></iframe>
<iframe id="ordinary" src="{portal}/policy/proposals" title="제안 목록" width="360" height="300"></iframe>
</body></html>""".encode()


@pytest.fixture
def district_site(live_app, live_server) -> Iterator[str]:
    """Another origin (127.0.0.2) serving the homepage that embeds the portal."""
    body = _district_page(live_server)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    try:
        server = ThreadingHTTPServer(("127.0.0.2", 0), Handler)
    except OSError:
        pytest.skip("127.0.0.2 is not a loopback address here")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.2:{server.server_port}"
    before = live_app.config["WIDGET_FRAME_ANCESTORS"]
    live_app.config["WIDGET_FRAME_ANCESTORS"] = origin
    yield origin
    live_app.config["WIDGET_FRAME_ANCESTORS"] = before
    server.shutdown()
    server.server_close()


def test_the_district_site_frames_a_widget_and_cannot_frame_an_ordinary_page(
    browser, live_server, district_site
):
    context = browser.new_context(viewport={"width": 800, "height": 900}, locale="ko-KR")
    context.set_default_timeout(10_000)
    page = context.new_page()

    def refused(message) -> bool:
        return "frame-ancestors 'none'" in message.text or "X-Frame-Options" in message.text

    # Chromium reports the refused frame on the console: wait for that, not for a time.
    with page.expect_console_message(refused):
        page.goto(district_site + "/")
    expect(page.get_by_role("heading", name="관악구청")).to_be_visible()

    widget = page.frame_locator("#widget")
    expect(widget.get_by_role("heading", name="방문 현황")).to_be_visible()
    expect(widget.get_by_text("누적 방문")).to_be_visible()
    link = widget.get_by_role("link", name="온라인 관악청")
    expect(link).to_have_attribute("target", "_top")

    # The refused frame never shows the portal's page (Chromium puts its error page there).
    expect(page.frame_locator("#ordinary").get_by_role("heading", name="제안하기")).to_have_count(0)
    frame = page.locator("#ordinary").element_handle().content_frame()
    assert frame is not None and not frame.url.startswith(live_server), frame.url

    # A link in the widget opens in the district page's own window, not in the frame.
    link.click()
    expect(page).to_have_url(live_server + "/")
    expect(page.get_by_role("heading", name="온라인 관악청", level=1)).to_be_visible()
    context.close()
