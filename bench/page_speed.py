"""First paint on a cheap phone: FCP and LCP under slow 4G with a 4x slower CPU.

Serves the demo site from a throw-away SQLite file, then loads home, a list, a detail
page and a pledge page in Debian's Chromium through Playwright with the Chrome DevTools
Protocol throttling the network (400 ms RTT, 50 KB/s each way) and the CPU (4x). Every
load is cold (a new browser context, so an empty cache). Prints the median of --runs
loads per page and the bytes on the wire. A measurement, not a test: nothing here passes
or fails.

Usage: python -m bench.page_speed [--runs N] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import statistics
import tempfile
import threading
from pathlib import Path

RTT_MS = 400
THROUGHPUT_BYTES_PER_S = 50 * 1024
CPU_SLOWDOWN = 4
VIEWPORT = {"width": 360, "height": 740}

# Resolves with FCP, LCP and bytes on the wire once the page has loaded.
_PAINT_FIGURES = """
() => new Promise((resolve) => {
  let lcp = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) lcp = entry.startTime;
  }).observe({ type: "largest-contentful-paint", buffered: true });
  setTimeout(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0];
    const nav = performance.getEntriesByType("navigation")[0];
    const resources = performance.getEntriesByType("resource");
    resolve({
      fcp: fcp ? fcp.startTime : null,
      lcp: lcp,
      html_bytes: nav.transferSize,
      html_decoded: nav.decodedBodySize,
      resources: resources.map((r) => [r.name, r.transferSize, r.decodedBodySize]),
    });
  }, 300);
})
"""


def build_site(folder: Path):
    """The demo site on a fresh SQLite database, and the paths to measure."""
    from flask_migrate import upgrade
    from sqlalchemy import select

    from gwanak import create_app
    from gwanak.core.demo import seed_demo
    from gwanak.core.extensions import db
    from gwanak.manifesto.models import Pledge
    from gwanak.participation.models import Proposal

    app = create_app(
        {
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'site.sqlite3'}",
            "RATELIMIT_ENABLED": False,
            "UPLOAD_DIR": str(folder / "uploads"),
            "DEMO_ACCOUNTS_FILE": str(folder / "demo-accounts.txt"),
        }
    )
    with app.app_context():
        upgrade()
        for _ in seed_demo():
            pass
        proposal = db.session.scalar(
            select(Proposal).where(Proposal.board == "policy").order_by(Proposal.id)
        )
        pledge = db.session.scalar(select(Pledge).order_by(Pledge.code))
        paths = [
            ("home", "/"),
            ("proposal list", "/policy/proposals"),
            ("proposal detail", f"/policy/proposals/{proposal.id}"),
            ("pledge", f"/manifesto/pledges/{pledge.code}"),
        ]
    return app, paths


def serve(app) -> tuple[str, object]:
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def load_once(browser, url: str) -> dict:
    context = browser.new_context(viewport=VIEWPORT, locale="ko-KR")
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": RTT_MS,
            "downloadThroughput": THROUGHPUT_BYTES_PER_S,
            "uploadThroughput": THROUGHPUT_BYTES_PER_S,
        },
    )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(url, wait_until="load", timeout=60_000)
    figures = page.evaluate(_PAINT_FIGURES)
    context.close()
    return figures


def measure(base: str, paths, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM_ARGS

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise SystemExit("chromium not found on PATH (apt-get install chromium)")
    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        for label, path in paths:
            loads = [load_once(browser, base + path) for _ in range(runs)]
            last = loads[-1]
            wire = last["html_bytes"] + sum(r[1] for r in last["resources"])
            results.append(
                {
                    "page": label,
                    "path": path,
                    "fcp_ms": round(statistics.median(x["fcp"] for x in loads)),
                    "lcp_ms": round(statistics.median(x["lcp"] for x in loads)),
                    "html_wire_bytes": last["html_bytes"],
                    "html_bytes": last["html_decoded"],
                    "total_wire_bytes": wire,
                    "resources": [
                        {"url": r[0].split("?")[0].replace(base, ""), "wire": r[1], "bytes": r[2]}
                        for r in last["resources"]
                    ],
                }
            )
        browser.close()
    return results


def report(results: list[dict]) -> None:
    print(
        f"slow 4G ({RTT_MS} ms RTT, {THROUGHPUT_BYTES_PER_S // 1024} KB/s), "
        f"CPU {CPU_SLOWDOWN}x slower, {VIEWPORT['width']} px, cold cache; median of runs"
    )
    header = (
        f"{'page':18} {'FCP ms':>7} {'LCP ms':>7} {'HTML wire':>10} {'HTML':>8} {'all wire':>9}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['page']:18} {r['fcp_ms']:>7} {r['lcp_ms']:>7} {r['html_wire_bytes']:>10,} "
            f"{r['html_bytes']:>8,} {r['total_wire_bytes']:>9,}"
        )
    print("\nsub-resources of the last page (wire / decoded bytes):")
    for res in results[-1]["resources"]:
        print(f"  {res['url']:44} {res['wire']:>7,} / {res['bytes']:,}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gwanak-paint-"))
    app, paths = build_site(folder)
    base, server = serve(app)
    try:
        results = measure(base, paths, args.runs)
    finally:
        server.shutdown()
        shutil.rmtree(folder, ignore_errors=True)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
