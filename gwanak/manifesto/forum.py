"""주민참여마당: residents comment on pledges through the participation engine.

Each pledge has one Discussion (subject type "pledge", rules "manifesto.forum"), opened
when the pledge is first imported. Comments, replies, reports, hiding and the mayor's
queue are the engine's; this module only says what a pledge thread is about.
"""

from __future__ import annotations

from flask import url_for
from sqlalchemy import select

from gwanak.core.extensions import db
from gwanak.core.settings import SettingSpec
from gwanak.participation.models import Discussion, SubjectKind
from gwanak.participation.operations import open_discussion
from gwanak.participation.subjects import SubjectType

RULES = "manifesto.forum"

# Rules as data: installed by this feature (Feature.settings).
SETTINGS = (
    SettingSpec(
        f"{RULES}.mayor_commenters",
        "[주민참여마당 · manifesto] 구청장 답변 대상이 되는 댓글 참여자 수",
        100,
        minimum=1,
    ),
    SettingSpec(
        f"{RULES}.mayor_answer_days",
        "[주민참여마당 · manifesto] 구청장 답변 기한(일)",
        30,
        minimum=1,
    ),
)


def open_pledge_discussion(department: str) -> Discussion:
    return open_discussion(SubjectKind.PLEDGE, rules=RULES, owner_department=department)


def _pledge_of(discussion: Discussion):
    from gwanak.manifesto.models import Pledge

    return db.session.scalar(select(Pledge).where(Pledge.discussion_id == discussion.id))


PLEDGE_SUBJECT = SubjectType(
    SubjectKind.PLEDGE,
    title=lambda d: f"공약 {_pledge_of(d).code} {_pledge_of(d).title}",
    url=lambda d: url_for("manifesto.forum_pledge", code=_pledge_of(d).code),
)
