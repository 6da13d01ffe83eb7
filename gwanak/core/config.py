"""Configuration read from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def config_from_environment(instance_path: str) -> dict:
    """Build the Flask config dict from environment variables.

    SECRET_KEY is required outside debug and testing; create_app enforces it once the
    caller's overrides are merged in.
    """
    default_db = "sqlite:///" + str(Path(instance_path) / "gwanak.sqlite3")
    secure_cookies = _flag("SECURE_COOKIES", False)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": _normalise_db_url(os.environ.get("DATABASE_URL", default_db)),
        # No ping on every checkout: gwanak.core.connections replaces a connection the
        # database closed while idle by looking at its socket, and pings only long-idle
        # ones (tests/test_faults.py).
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False, "pool_recycle": 1800},
        "RATELIMIT_ENABLED": _flag("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        # The limits' store (Redis) down must not take the site down: errors are
        # swallowed and the limits are kept in memory until the store is back.
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "SMTP_HOST": os.environ.get("SMTP_HOST"),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "587")),
        "SMTP_USER": os.environ.get("SMTP_USER"),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD"),
        "SMTP_STARTTLS": _flag("SMTP_STARTTLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "온라인 관악청 <noreply@localhost>"),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(Path(instance_path) / "uploads")),
        # Where `seed-demo` writes the demo accounts' shared password.
        "DEMO_ACCOUNTS_FILE": os.environ.get(
            "DEMO_ACCOUNTS_FILE", str(Path(instance_path) / "demo-accounts.txt")
        ),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(12 * 1024 * 1024))),
        # Secure cookies only behind HTTPS; the proxy tells us the scheme.
        "SESSION_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "TRUST_PROXY": _flag("TRUST_PROXY", False),
        # Origins allowed to frame the embeddable widgets (the district homepage).
        "WIDGET_FRAME_ANCESTORS": os.environ.get("WIDGET_FRAME_ANCESTORS", "'self'"),
        "WTF_CSRF_TIME_LIMIT": None,
    }


def _normalise_db_url(url: str) -> str:
    """Accept postgres:// and postgresql:// and always use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url
