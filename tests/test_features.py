"""The manifest wires the app: features are installed in order by create_app, nothing
is registered by importing a module, and the app refuses to start half-wired."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gwanak import create_app
from gwanak.core.features import Feature, RegistryError, StaffLink
from gwanak.core.settings import SettingSpec
from gwanak.features import FEATURES
from gwanak.participation.models import BoardSlug, SubjectKind
from tests.conftest import base_config

ROOT = Path(__file__).resolve().parents[1]


def _fresh_python(code: str) -> str:
    """Run code in a new interpreter: no module imported by an earlier test helps it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_every_kind_the_data_model_names_is_provided_by_a_feature(app):
    registry = app.extensions["gwanak"]
    assert set(registry.subjects) == {str(kind) for kind in SubjectKind}
    assert set(registry.boards) == {str(slug) for slug in BoardSlug}


def test_a_fresh_process_knows_every_subject_board_and_private_file_rule():
    # The bug this guards: the pledge subject existed only once some other module had
    # imported gwanak.manifesto.forum, so a fresh server answered 500 on every thread.
    out = _fresh_python(
        "from gwanak import create_app\n"
        "app = create_app({'TESTING': True, 'SQLALCHEMY_DATABASE_URI': 'sqlite://'})\n"
        "r = app.extensions['gwanak']\n"
        "print(sorted(r.subjects), sorted(r.boards), sorted(u.name for u in r.upload_rules))\n"
    )
    assert "'agenda', 'pledge', 'proposal'" in out
    assert "'budget', 'governance', 'policy'" in out
    for rule in ("cheong.photos", "policy.contest", "notices.files", "governance.archive"):
        assert rule in out


def test_the_cli_lists_every_features_commands_in_a_fresh_process():
    env = {**os.environ, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"}
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "gwanak", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    for command in (
        "seed-demo",
        "create-user",
        "proposals-expire",
        "answer-reminders",
        "purge-expired",
        "purge-contest-data",
        "school-reminders",
        "manifesto-import",
        "manifesto-export",
    ):
        assert command in done.stdout


def test_demo_seeders_run_in_the_manifests_order(app):
    order = [name for name, _seeder in app.extensions["gwanak"].demo]
    manifest = [feature.name for feature in FEATURES]
    assert order[0] == "accounts"  # everyone else's demo needs the demo people
    assert order == sorted(order, key=manifest.index)


def test_the_app_refuses_to_start_when_a_subject_kind_has_no_feature(monkeypatch, db_url):
    import gwanak.features

    without_manifesto = tuple(f for f in FEATURES if f.name != "manifesto")
    monkeypatch.setattr(gwanak.features, "FEATURES", without_manifesto)
    with pytest.raises(RegistryError, match="pledge"):
        create_app(base_config(db_url))


def test_two_features_cannot_claim_one_name(monkeypatch, db_url):
    import gwanak.features

    twin = Feature(
        name="twin",
        settings=(SettingSpec("accounts.reset_token_minutes", "두 번째", 1),),
        staff_links=(StaffLink("x", "home.index"),),
    )
    monkeypatch.setattr(gwanak.features, "FEATURES", (*FEATURES, twin))
    with pytest.raises(RegistryError, match="accounts.reset_token_minutes"):
        create_app(base_config(db_url))


def test_each_app_has_its_own_registry(app, db_url):
    other = create_app(base_config(db_url))
    assert other.extensions["gwanak"] is not app.extensions["gwanak"]
    other.extensions["gwanak"].staff_links.clear()
    assert app.extensions["gwanak"].staff_links  # untouched
