"""The session as usual, except on widget responses: those never save it.

A widget is framed by another site and cached by proxies; a cookie would track
visitors across sites and make the response uncacheable. Reading the session (an error
page asks for a CSRF token) still works; nothing is written back, and no `Vary: Cookie`.
"""

from __future__ import annotations

from flask import request
from flask.sessions import SecureCookieSessionInterface

from gwanak.core.security import WIDGET_PREFIX


class WidgetlessCookieSessions(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        if request.path.startswith(WIDGET_PREFIX):
            return
        super().save_session(app, session, response)
