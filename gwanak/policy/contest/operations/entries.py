"""Entries: a resident enters online, staff register one that came another way; each
step of an entry is recorded in its history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import FileStorage

from gwanak.core import clock
from gwanak.core.audit import record_audit
from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.core.uploads import store_upload
from gwanak.policy.contest.models import (
    CHANNELS,
    Contest,
    ContestEntry,
    ContestEntryEvent,
    EntryState,
)
from gwanak.policy.contest.operations.contests import TITLE_MAX, attachment_rules


@dataclass
class EntryFields:
    title: str
    problem: str
    proposal: str
    effect: str
    relation: str
    consent: bool
    submitter_name: str = ""
    submitter_contact: str = ""
    channel: str = "online"
    attachment: FileStorage | None = None
    received_on: date | None = None  # offline entries: the day it arrived (today if None)


def _add_entry(contest: Contest, data: EntryFields, submitter_id, registered_by_id) -> ContestEntry:
    if not data.consent:
        raise OperationError("개인정보 수집·이용에 동의해야 응모할 수 있습니다.", field="consent")
    if data.relation not in contest.eligibility:
        raise OperationError("이 공모전에 응모할 수 있는 자격이 아닙니다.", field="relation")
    if data.channel not in CHANNELS:
        raise OperationError("접수 경로를 고르세요.", field="channel")
    for name in ("title", "problem", "proposal", "effect", "submitter_name"):
        value = (getattr(data, name) or "").strip()
        if not value:
            raise OperationError("내용을 입력하세요. 공백만으로는 저장할 수 없습니다.", field=name)
        setattr(data, name, value)
    if len(data.title) > TITLE_MAX:
        raise OperationError(f"{TITLE_MAX}자 이하로 입력하세요.", field="title")
    duplicate = select(ContestEntry.id).where(
        ContestEntry.contest_id == contest.id,
        ContestEntry.submitter_id == submitter_id,
        ContestEntry.title == data.title,
    )
    if submitter_id is not None and db.session.scalar(duplicate):
        raise OperationError("같은 제목으로 이미 응모했습니다.", field="title")
    upload = None
    if data.attachment is not None and data.attachment.filename:
        upload = store_upload(
            data.attachment,
            attachment_rules(),
            registered_by_id or submitter_id,
            field="attachment",
        )
    entry = ContestEntry(
        contest_id=contest.id,
        title=data.title,
        problem=data.problem,
        proposal=data.proposal,
        effect=data.effect,
        attachment_id=upload.id if upload else None,
        submitter_id=submitter_id,
        submitter_name=data.submitter_name,
        submitter_contact=(data.submitter_contact or "").strip(),
        relation=data.relation,
        channel=data.channel,
        registered_by_id=registered_by_id,
        consented_at=clock.now(),
        received_on=data.received_on or clock.today(),
        state=EntryState.RECEIVED,
        created_at=clock.now(),
    )
    db.session.add(entry)
    try:
        db.session.flush()
    except IntegrityError as error:  # a double submit that raced the check above
        db.session.rollback()
        raise OperationError("같은 제목으로 이미 응모했습니다.", field="title") from error
    record_step(entry, "접수", None, EntryState.RECEIVED, registered_by_id or submitter_id,
             f"{CHANNELS[data.channel]} 접수")  # fmt: skip
    return entry


BACK_OFFICE_ENTRY = (
    "직원·구청장·관리자 계정으로는 응모할 수 없습니다. 공무원은 본인의 주민 계정으로 "
    "로그인해 '공무원'을 골라 응모하세요."
)


def submit_entry(contest: Contest, user, data: EntryFields) -> ContestEntry:
    """A signed-in resident enters online, only during the contest's period.

    Officials may enter (the card: "Open to … officials"), as people: with their own
    resident account, saying 공무원. The portal's staff, mayor and admin accounts are
    back-office accounts — they judge and register entries, so they never submit one."""
    if not user.is_resident:
        raise OperationError(BACK_OFFICE_ENTRY, status=403)
    if contest.results_published_at is not None:
        raise OperationError("결과를 발표한 공모전에는 응모할 수 없습니다.", status=409)
    if not contest.is_open():
        raise OperationError(
            f"응모 기간({contest.opens_on} ~ {contest.closes_on})이 아닙니다.", status=409
        )
    data.channel = "online"
    data.submitter_name = user.name
    entry = _add_entry(contest, data, user.id, None)
    db.session.commit()
    return entry


def register_offline_entry(contest: Contest, staff, data: EntryFields) -> ContestEntry:
    """Staff register an entry that came by 국민신문고, e-mail, post or visit.

    Only entries that arrived inside the period (`received_on`, today if not given): one
    that arrived on the last day may be registered later, until results are announced."""
    if data.channel == "online" or data.channel not in CHANNELS:
        raise OperationError("온라인이 아닌 접수 경로를 고르세요.", field="channel")
    if contest.results_published_at is not None:
        raise OperationError("결과를 발표한 공모전에는 응모작을 등록할 수 없습니다.", status=409)
    today = clock.today()
    if today < contest.opens_on:
        raise OperationError("응모 기간이 시작되지 않았습니다.", status=409)
    received_on = data.received_on or today
    if received_on > today:
        raise OperationError("접수일은 오늘보다 늦을 수 없습니다.", field="received_on")
    if received_on < contest.opens_on:
        raise OperationError(
            f"접수일이 응모 시작일({contest.opens_on})보다 빠릅니다.", field="received_on"
        )
    if received_on > contest.closes_on:
        raise OperationError(
            f"응모 마감일({contest.closes_on}) 뒤에 들어온 응모작은 받을 수 없습니다.",
            field="received_on",
        )
    data.received_on = received_on
    entry = _add_entry(contest, data, None, staff.id)
    record_audit("contest_entry.register", "contest_entry", entry.id,
                 after={"channel": data.channel}, actor_id=staff.id)  # fmt: skip
    db.session.commit()
    return entry


def record_step(entry, step, from_state, to_state, actor_id, reason="") -> ContestEntryEvent:
    """One line of the entry's history (a step: in the caller's transaction)."""
    event = ContestEntryEvent(
        entry_id=entry.id,
        step=step,
        from_state=from_state,
        to_state=to_state,
        actor_id=actor_id,
        reason=reason,
        created_at=clock.now(),
    )
    db.session.add(event)
    return event
