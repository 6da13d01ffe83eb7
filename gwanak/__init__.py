"""온라인 관악청: the app factory."""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

from flask import Flask, url_for

from gwanak.core.config import config_from_environment


def create_app(config: dict | None = None) -> Flask:
    root = Path(__file__).resolve().parent.parent
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(config_from_environment(app.instance_path))
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        if app.debug or app.testing or os.environ.get("FLASK_DEBUG") == "1":
            app.config["SECRET_KEY"] = "dev-only-not-secret"
        elif _maintenance_command():
            # Migrations and admin commands sign nothing; a throw-away key will do.
            app.config["SECRET_KEY"] = secrets.token_hex(32)
        else:
            raise RuntimeError("SECRET_KEY must be set in the environment (see README).")
    if app.config.get("TRUST_PROXY"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)  # type: ignore[method-assign]

    _init_extensions(app, root)
    from gwanak.core.params import install_url_converters

    install_url_converters(app)
    _install_features(app)
    _register_template_helpers(app, root)
    _install_delivery(app)

    from gwanak.core.errors import register_error_handlers
    from gwanak.core.security import install_request_guards, install_security_headers
    from gwanak.core.visits import install_visit_counter

    register_error_handlers(app)
    install_request_guards(app)
    install_security_headers(app)
    install_visit_counter(app)

    return app


def _maintenance_command() -> bool:
    """True for `flask … db …` and `flask … gwanak …`: commands that serve no requests."""
    if not os.environ.get("FLASK_RUN_FROM_CLI"):
        return False
    args = sys.argv[1:]
    while args and args[0].startswith("-"):
        takes_value = args[0] in ("--app", "-A", "--env-file", "-e") and "=" not in args[0]
        args = args[2:] if takes_value else args[1:]
    return bool(args) and args[0] in ("db", "gwanak")


def _init_extensions(app: Flask, root: Path) -> None:
    from gwanak.core.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(root / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from gwanak.core.connections import install_connection_checks

    with app.app_context():
        install_connection_checks(db.engine)

    import gwanak.models  # noqa: F401  (every model registered on the metadata)


def _install_features(app: Flask) -> None:
    """Install the manifest's features, in order, and check that they cover the names
    the data model can hold; add their commands under `flask gwanak …`."""
    from flask.cli import AppGroup

    from gwanak.core.features import install_features
    from gwanak.features import FEATURES
    from gwanak.participation.models import BoardSlug, SubjectKind

    registry = install_features(app, FEATURES)
    registry.require("subject kinds", registry.subjects, SubjectKind)
    registry.require("boards", registry.boards, BoardSlug)

    group = AppGroup("gwanak", help="온라인 관악청 관리 명령")
    for command in registry.commands:
        group.add_command(command)
    app.cli.add_command(group)


def _install_delivery(app: Flask) -> None:
    """Compression, static caching, inline first-screen CSS, favicon; Vary for htmx."""
    from gwanak.core.delivery import install_delivery
    from gwanak.core.htmx import install_vary_on_htmx

    install_delivery(app)
    install_vary_on_htmx(app)


def _register_template_helpers(app: Flask, root: Path) -> None:
    from gwanak.core import clock
    from gwanak.core.delivery import static_version
    from gwanak.core.markup import render_user_line, render_user_text
    from gwanak.core.masking import mask_name, mask_personal_data
    from gwanak.core.menus import dong_names, menus
    from gwanak.core.permissions import may_edit

    def static_url(filename: str) -> str:
        # Content hash in the URL so browsers may cache our files for a long time.
        return url_for("static", filename=filename, v=static_version(filename))

    def kst(value, fmt: str = "%Y-%m-%d %H:%M") -> str:
        if value is None:
            return ""
        if hasattr(value, "hour"):
            return clock.to_kst(value).strftime(fmt)
        return value.strftime("%Y-%m-%d")

    def shared_macro(template: str, name: str):
        # The shared macros are globals: an htmx fragment renders one {% block %} alone,
        # where the template's top-level `{% from "_forms.html" import … %}` never ran.
        def call(*args, **kwargs):
            return getattr(app.jinja_env.get_template(template).module, name)(*args, **kwargs)

        return call

    shared_macros = {
        "_forms.html": ("field", "form_errors", "pager"),
        "_tables.html": ("scrolling",),
        "_attachments.html": ("file_list", "change_files"),
        "manifesto/_charts.html": ("rate_bar", "budget_bar", "status_badge", "pledge_marks"),
    }
    app.jinja_env.globals.update(
        {
            name: shared_macro(template, name)
            for template, names in shared_macros.items()
            for name in names
        }
    )
    app.jinja_env.globals.update(
        static_url=static_url,
        site_menus=menus,
        may_edit=may_edit,
        dong_names=dong_names,
    )
    app.jinja_env.filters.update(
        kst=kst,
        machine_time=clock.machine_time,
        mask_name=mask_name,
        # Residents' one-line text in attributes and <title>: masked, then autoescaped.
        masked=mask_personal_data,
        user_text=render_user_text,
        user_line=render_user_line,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
