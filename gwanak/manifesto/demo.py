"""Demo pledges: the district's 6-1-1 card and a few sample pledges in other areas."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select

from gwanak.accounts.demo import demo_user
from gwanak.core.extensions import db
from gwanak.manifesto.catalogue import CatalogueError, import_catalogue
from gwanak.manifesto.models import Pledge

DATA = Path(__file__).resolve().parent / "data"
CARD_FILE = DATA / "6-1-1.json"
DEMO_FILES = (CARD_FILE, DATA / "samples.json")


def load_catalogue_file(path: Path, actor_id: int | None = None):
    report = import_catalogue(path.read_text(encoding="utf-8"), "json", actor_id)
    if not report.ok:
        raise CatalogueError(report.problems)
    return report


def seed_pledges() -> Iterator[str]:
    if db.session.scalar(select(Pledge.id).limit(1)) is not None:
        return
    planning = demo_user("planning")
    for path in DEMO_FILES:
        load_catalogue_file(path, planning.id if planning else None)
    yield "공약 카드 6-1-1과 예시 공약을 불러왔습니다."
