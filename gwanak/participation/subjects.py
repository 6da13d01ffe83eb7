"""What a discussion is about: each kind of subject says its title, URL and whether
comments are closed. The engine uses this for redirects, the mayor's queue and mails.

A feature that attaches discussions to its things declares a `SubjectType` in its
`Feature.subjects`; the kind's name is one of `models.SubjectKind`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gwanak.core.features import registry
from gwanak.participation.models import Discussion


@dataclass(frozen=True)
class SubjectType:
    name: str
    # Each gets the discussion and returns what it says.
    title: Callable[[Discussion], str]
    url: Callable[[Discussion], str]
    # A Korean reason why nobody may comment now, or None when comments are open.
    closed_reason: Callable[[Discussion], str | None] = lambda d: None
    # The subject's author, if it has one (told when the mayor answers).
    author: Callable[[Discussion], object | None] = lambda d: None


def subject_of(discussion: Discussion) -> SubjectType:
    """The subject kind of a discussion, as the app's features provide it."""
    return registry().subjects[discussion.subject_type]
