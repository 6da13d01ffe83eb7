"""`flask --app app gwanak manifesto-import FILE` and `manifesto-export --format json|csv`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("manifesto-import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def manifesto_import_command(path: Path):
    """Import the pledge catalogue from a JSON or CSV file (all or nothing)."""
    from gwanak.manifesto.catalogue import import_catalogue

    fmt = "csv" if path.suffix.lower() == ".csv" else "json"
    report = import_catalogue(path.read_text(encoding="utf-8-sig"), fmt)
    if not report.ok:
        for problem in report.problems:
            click.echo(f"{problem.where}: {problem.message}", err=True)
        raise click.ClickException(f"가져오지 않았습니다 ({len(report.problems)}곳 오류).")
    click.echo("가져왔습니다: " + ", ".join(f"{k} {v}" for k, v in report.counts.items()))


@click.command("manifesto-export")
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json")
@with_appcontext
def manifesto_export_command(fmt: str):
    """Print the whole pledge catalogue as JSON or CSV."""
    from gwanak.manifesto.catalogue import export_catalogue, to_csv, to_json

    catalogue = export_catalogue()
    click.echo(to_json(catalogue) if fmt == "json" else to_csv(catalogue), nl=False)
