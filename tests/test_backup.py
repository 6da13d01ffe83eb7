"""`flask gwanak backup` / `flask gwanak restore`: a backup taken while residents keep
writing restores to exactly its moment — every table's rows and checksum as the
manifest recorded them, counters agreeing with the rows they count — and the stored
files with it."""

from __future__ import annotations

import json
import tarfile
import threading
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from gwanak.accounts.models import User
from gwanak.core.backup import table_summary
from gwanak.core.extensions import db
from gwanak.participation import operations as ops
from gwanak.participation.models import Comment, Discussion
from tests.factories import proposal


def _manifest(path: Path) -> dict:
    with tarfile.open(path, "r:gz") as archive:
        return json.load(archive.extractfile("manifest.json"))


def _comments() -> int:
    return db.session.scalar(select(func.count()).select_from(Comment))


class Writer(threading.Thread):
    """A resident commenting as fast as the database lets them, in its own app context."""

    def __init__(self, app, discussion_id: int, user_id: int) -> None:
        super().__init__(daemon=True)
        self.app, self.discussion_id, self.user_id = app, discussion_id, user_id
        self.stop = threading.Event()
        self.written = 0
        self.errors: list[str] = []

    def run(self) -> None:
        with self.app.app_context():
            while not self.stop.is_set():
                try:
                    discussion = db.session.get(Discussion, self.discussion_id)
                    author = db.session.get(User, self.user_id)
                    ops.post_comment(discussion, author, f"백업 중에도 쓰는 댓글 {self.written}")
                    self.written += 1
                except SQLAlchemyError as error:  # SQLite: "database is locked" for a moment
                    db.session.rollback()
                    self.errors.append(type(error).__name__)
            db.session.remove()

    def wait_for(self, count: int) -> None:
        deadline = time.monotonic() + 30
        while self.written < count and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.written >= count, self.errors[-3:]


def test_a_backup_under_concurrent_writes_restores_exactly_its_moment(app, runner, users, tmp_path):
    target = proposal(users.neighbour)
    uploads = Path(app.config["UPLOAD_DIR"])
    (uploads / "0").mkdir(parents=True, exist_ok=True)
    stored = uploads / "0" / "회의록.txt"
    stored.write_text("백업 전에 올린 파일", encoding="utf-8")
    archive = tmp_path / "backup.tar.gz"

    writer = Writer(app, target.discussion_id, users.resident.id)
    writer.start()
    try:
        writer.wait_for(5)
        made = runner.invoke(args=["gwanak", "backup", "--output", str(archive)])
        at_backup = writer.written
        writer.wait_for(at_backup + 5)  # writes go on after the backup
    finally:
        writer.stop.set()
        writer.join()
    assert made.exit_code == 0, made.output
    assert "백업했습니다" in made.output
    manifest = _manifest(archive)
    in_backup = manifest["tables"]["comments"]["rows"]
    assert 5 <= in_backup < _comments()
    (uploads / "0" / "나중에 올린 파일.txt").write_text("백업 뒤", encoding="utf-8")

    refused = runner.invoke(args=["gwanak", "restore", str(archive)])
    assert refused.exit_code != 0 and "--yes" in refused.output
    restored = runner.invoke(args=["gwanak", "restore", str(archive), "--yes"])
    assert restored.exit_code == 0, restored.output

    # Every table as it was at the backup moment: counts and checksums.
    with db.engine.connect() as conn:
        assert table_summary(conn) == manifest["tables"]
    db.session.expire_all()
    assert _comments() == in_backup
    # One moment, not a mixture: the counter agrees with the rows it counts.
    discussion = db.session.get(Discussion, target.discussion_id)
    assert discussion.comment_count == in_backup
    # The stored files came back, and only those.
    assert stored.read_text(encoding="utf-8") == "백업 전에 올린 파일"
    assert not (uploads / "0" / "나중에 올린 파일.txt").exists()
    # The portal works on the restored data.
    assert app.test_client().get(f"/policy/proposals/{target.id}").status_code == 200


def test_a_backup_of_another_database_kind_is_refused(app, runner, tmp_path):
    archive = tmp_path / "other.tar.gz"
    assert runner.invoke(args=["gwanak", "backup", "-o", str(archive)]).exit_code == 0
    manifest = _manifest(archive)
    manifest["dialect"] = "oracle"
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with tarfile.open(archive, "r:gz") as old, tarfile.open(tmp_path / "x.tar.gz", "w:gz") as new:
        for member in old.getmembers():
            if member.name != "manifest.json":
                new.addfile(member, old.extractfile(member) if member.isfile() else None)
        new.add(tmp_path / "manifest.json", "manifest.json")
    result = runner.invoke(args=["gwanak", "restore", str(tmp_path / "x.tar.gz"), "--yes"])
    assert result.exit_code != 0 and "복원할 수 없습니다" in result.output
