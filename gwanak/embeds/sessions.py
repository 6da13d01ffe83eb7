"""The session cookie: never written on widget responses, holding only the newest few
flash messages, and written as plain JSON.

A widget is framed by another site and cached by proxies; a cookie would track
visitors across sites and make the response uncacheable. Reading the session (an error
page asks for a CSRF token) still works; nothing is written back, and no `Vary: Cookie`.

Flashes wait in the cookie until a page shows them. A client that posts without
following the redirects (several tabs, a script, a benchmark) would pile them up until
the cookie passed the browser's 4 KB limit and was dropped — signing the person out.

The session holds only strings, numbers, booleans and lists (ids, tokens, flashes), so
it is written as plain JSON: Flask's tagged JSON walks every value looking for tuples,
bytes and dates on every response that changes the session, a 공감 or a comment among
them. Reading keeps Flask's tagged reader, which reads both (cookies written before).
"""

from __future__ import annotations

import json

from flask import request
from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface

from gwanak.core.security import WIDGET_PREFIX

KEPT_FLASHES = 3


class PlainJSONSerializer(TaggedJSONSerializer):
    def dumps(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class WidgetlessCookieSessions(SecureCookieSessionInterface):
    serializer = PlainJSONSerializer()

    def save_session(self, app, session, response) -> None:
        if request.path.startswith(WIDGET_PREFIX):
            return
        flashes = session.get("_flashes")
        if flashes and len(flashes) > KEPT_FLASHES:
            session["_flashes"] = flashes[-KEPT_FLASHES:]
        super().save_session(app, session, response)
