"""Deleting asks first, with or without JavaScript."""

from __future__ import annotations

from flask import render_template


def ask_before_deleting(what: str, back: str, status: int = 200):
    """The answer to GET on a delete URL: "정말 삭제할까요?" with a form that POSTs to
    the same URL, and a way back. Delete controls link here, so a resident without
    JavaScript is asked too; with htmx, `data-hx-confirm` asks in place instead."""
    return render_template("confirm_delete.html", what=what, back=back), status
