"""The session as usual, except on widget responses (never saved) and for piled-up
flash messages (only the newest few are kept).

A widget is framed by another site and cached by proxies; a cookie would track
visitors across sites and make the response uncacheable. Reading the session (an error
page asks for a CSRF token) still works; nothing is written back, and no `Vary: Cookie`.

Flashes wait in the cookie until a page shows them. A client that posts without
following the redirects (several tabs, a script, a benchmark) would pile them up until
the cookie passed the browser's 4 KB limit and was dropped — signing the person out.
"""

from __future__ import annotations

from flask import request
from flask.sessions import SecureCookieSessionInterface

from gwanak.core.security import WIDGET_PREFIX

KEPT_FLASHES = 3


class WidgetlessCookieSessions(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        if request.path.startswith(WIDGET_PREFIX):
            return
        flashes = session.get("_flashes")
        if flashes and len(flashes) > KEPT_FLASHES:
            session["_flashes"] = flashes[-KEPT_FLASHES:]
        super().save_session(app, session, response)
