"""`flask gwanak backup` and `flask gwanak restore`: the database and the stored files in
one .tar.gz, taken while the portal keeps running.

The archive holds `manifest.json` (database kind, migration revision, and per table its
row count and a checksum of its rows), the database (`database.sqlite3`, made by
SQLite's online backup API, or `database.pgdump`, pg_dump's custom format) and
`uploads/`. The checksums are taken from the same moment as the dump — the backup
file itself on SQLite, the dump's exported snapshot on PostgreSQL — so a restore can
prove it brought back exactly that moment.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import Connection, create_engine, select, text

from gwanak.core import clock
from gwanak.core.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"


# Failures are click.ClickException: the command prints the Korean message and exits 1
# (an operator's command, not a refusal shown to a person on a page).
BackupError = click.ClickException


def table_summary(conn: Connection) -> dict[str, dict]:
    """Per table: row count and a SHA-256 of its rows in primary-key order."""
    summary = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        digest = hashlib.sha256()
        rows = 0
        for row in conn.execute(select(table).order_by(*order)):
            digest.update(repr(tuple(row)).encode())
            rows += 1
        summary[table.name] = {"rows": rows, "checksum": digest.hexdigest()}
    return summary


def _revision(conn: Connection) -> str | None:
    try:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database without migrations
        return None


def _pg_url() -> str:
    return db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} 실패: {done.stderr.strip()[:500]}")


def _dump_sqlite(work: Path) -> tuple[dict, str | None]:
    target = work / "database.sqlite3"
    source = sqlite3.connect(db.engine.url.database)
    try:
        with sqlite3.connect(target) as copy:
            source.backup(copy)  # one step: a consistent copy while others write
        copy.close()
    finally:
        source.close()
    engine = create_engine(f"sqlite:///{target}")
    with engine.connect() as conn:
        summary, revision = table_summary(conn), _revision(conn)
    engine.dispose()
    return summary, revision


def _dump_postgres(work: Path) -> tuple[dict, str | None]:
    # One snapshot for the checksums and pg_dump: export it from a repeatable-read
    # transaction that stays open while pg_dump reads.
    with db.engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
            _run(
                ["pg_dump", "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                 f"--file={work / 'database.pgdump'}", _pg_url()]
            )  # fmt: skip
            return table_summary(conn), _revision(conn)


def make_backup(output: Path) -> dict:
    """Write the archive; returns its manifest."""
    dialect = db.engine.dialect.name
    uploads = Path(current_app.config["UPLOAD_DIR"])
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if dialect == "sqlite":
            summary, revision = _dump_sqlite(work)
        elif dialect == "postgresql":
            summary, revision = _dump_postgres(work)
        else:
            raise BackupError(f"{dialect} 데이터베이스는 백업할 수 없습니다.")
        # Files after the database: a row is committed only after its file is stored, so
        # every file the snapshot names is here (later files are harmless extras).
        manifest = {
            "format": FORMAT,
            "dialect": dialect,
            "revision": revision,
            "created_at": clock.now().isoformat(),
            "tables": summary,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        output.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(output, "w:gz") as archive:
            archive.add(work / MANIFEST, MANIFEST)
            for name in ("database.sqlite3", "database.pgdump"):
                if (work / name).exists():
                    archive.add(work / name, name)
            if uploads.is_dir():
                archive.add(uploads, "uploads")
    return manifest


def _safe_members(archive: tarfile.TarFile) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for member in members:
        if not (member.isfile() or member.isdir()) or member.name.startswith(("/", "..")):
            raise BackupError(f"백업 파일에 허용되지 않는 항목이 있습니다: {member.name}")
        if ".." in Path(member.name).parts:
            raise BackupError(f"백업 파일에 허용되지 않는 항목이 있습니다: {member.name}")
    return members


def restore_backup(archive_path: Path) -> dict:
    """Replace the database and the stored files with the archive's; verify every table
    against the manifest. Returns the manifest."""
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(work, members=_safe_members(archive))  # noqa: S202 - checked
        manifest = json.loads((work / MANIFEST).read_text())
        if manifest.get("format") != FORMAT or manifest.get("dialect") != dialect:
            raise BackupError(
                f"이 백업({manifest.get('dialect')})은 지금 데이터베이스({dialect})에 복원할 수 없습니다."
            )
        db.session.remove()
        db.engine.dispose()
        if dialect == "sqlite":
            with sqlite3.connect(work / "database.sqlite3") as source:
                live = sqlite3.connect(db.engine.url.database)
                try:
                    source.backup(live)  # page by page into the live file, under its lock
                finally:
                    live.close()
            source.close()
        else:
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            db.engine.dispose()
            _run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={_pg_url()}",
                  str(work / "database.pgdump")])  # fmt: skip
        _replace_uploads(work / "uploads", Path(current_app.config["UPLOAD_DIR"]))
    with db.engine.connect() as conn:
        restored = table_summary(conn)
    wrong = [n for n, s in manifest["tables"].items() if restored.get(n) != s]
    if wrong:
        raise BackupError(f"복원한 표가 백업과 다릅니다: {', '.join(wrong)}")
    return manifest


def _replace_uploads(source: Path, target: Path) -> None:
    staging = target.with_name(target.name + ".restoring")
    shutil.rmtree(staging, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staging)
    else:
        staging.mkdir(parents=True)
    old = target.with_name(target.name + ".before-restore")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    staging.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _rows(manifest: dict) -> int:
    return sum(t["rows"] for t in manifest["tables"].values())


@click.command("backup")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="만들 백업 파일(.tar.gz)")
@with_appcontext
def backup_command(output: Path | None):
    """Back up the database and the stored files into one .tar.gz (site stays up)."""
    if output is None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        output = Path(current_app.instance_path) / "backups" / f"gwanak-{stamp}.tar.gz"
    manifest = make_backup(output)
    click.echo(
        f"백업했습니다: {output} (표 {len(manifest['tables'])}개, 행 {_rows(manifest):,}개, "
        f"마이그레이션 {manifest['revision']})"
    )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="지금 데이터를 백업 내용으로 바꾸는 데 동의함")
@with_appcontext
def restore_command(archive: Path, yes: bool):
    """Replace the database and the stored files with a backup, then verify every table."""
    if not yes:
        raise BackupError("복원하면 지금 데이터가 모두 바뀝니다. 확인했다면 --yes를 붙이세요.")
    manifest = restore_backup(archive)
    click.echo(
        f"복원했습니다: {manifest['created_at']} 시점, 표 {len(manifest['tables'])}개, "
        f"행 {_rows(manifest):,}개가 백업과 같습니다."
    )
