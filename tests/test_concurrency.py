"""공감 and comments stay exact when many residents act at the same moment.

Threads and separate processes each use their own database connection, as several
gunicorn workers would. Runs on SQLite and, in the PostgreSQL pass, on PostgreSQL.
"""

from __future__ import annotations

import multiprocessing
import random
import threading

from sqlalchemy import func, select

from gwanak import create_app
from gwanak.accounts.models import User
from gwanak.core.extensions import db
from gwanak.core.mail import OutboxMail
from gwanak.participation import operations as ops
from gwanak.participation.models import Discussion, Gonggam, Proposal, TimelineEvent
from tests.conftest import base_config
from tests.factories import gonggam, proposal, residents

PEOPLE = 50


def _run_threads(app, work, args_list):
    barrier = threading.Barrier(len(args_list))
    errors: list[BaseException] = []

    def runner(*args):
        with app.app_context():
            barrier.wait()
            try:
                work(*args)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=runner, args=args) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def _give(pid: int, uid: int) -> None:
    ops.give_gonggam(db.session.get(Proposal, pid), db.session.get(User, uid))


def test_fifty_residents_give_gonggam_at_once_and_review_starts_exactly_once(app, users):
    p = proposal(users.resident)
    people = residents(PEOPLE)
    _run_threads(app, _give, [(p.id, person.id) for person in people])

    db.session.expire_all()
    p = db.session.get(Proposal, p.id)
    rows = db.session.scalar(select(func.count(Gonggam.id)).where(Gonggam.proposal_id == p.id))
    assert p.gonggam_count == rows == PEOPLE
    assert p.state == "review"
    reviews = db.session.scalar(
        select(func.count()).where(
            TimelineEvent.discussion_id == p.discussion_id, TimelineEvent.event == "review"
        )
    )
    assert reviews == 1
    mails = db.session.scalar(
        select(func.count()).where(
            OutboxMail.to_user_id == users.resident.id,
            OutboxMail.subject == "[온라인 관악청] 제안이 부서 검토를 시작합니다",
        )
    )
    assert mails == 1


def test_giving_and_taking_back_at_once_leaves_the_count_equal_to_the_rows(app, users):
    from gwanak.core.settings import set_setting

    set_setting("board.policy.review_gonggam", 1000)  # stay in 공감 모집 so take-backs are allowed
    db.session.commit()
    p = proposal(users.resident)
    people = residents(30)
    gonggam(p, people[:15])
    rng = random.Random(7)
    actions = []
    for person in people:
        for _ in range(3):
            actions.append((p.id, person.id, rng.choice(["give", "take"])))

    def act(pid, uid, action):
        proposal_row = db.session.get(Proposal, pid)
        user = db.session.get(User, uid)
        if action == "give":
            ops.give_gonggam(proposal_row, user)
        else:
            ops.take_back_gonggam(proposal_row, user)

    _run_threads(app, act, actions)
    db.session.expire_all()
    count = db.session.scalar(select(Proposal.gonggam_count).where(Proposal.id == p.id))
    rows = db.session.scalar(select(func.count(Gonggam.id)).where(Gonggam.proposal_id == p.id))
    assert count == rows


def test_comments_from_many_people_at_once_count_distinct_commenters_exactly(app, users):
    from gwanak.core.settings import set_setting

    set_setting("board.policy.mayor_commenters", 20)
    db.session.commit()
    p = proposal(users.resident)
    people = residents(40)

    def comment(did, uid, n):
        ops.post_comment(db.session.get(Discussion, did), db.session.get(User, uid), f"의견 {n}")

    _run_threads(
        app, comment, [(p.discussion_id, person.id, n) for n in range(2) for person in people]
    )
    db.session.expire_all()
    d = db.session.get(Discussion, p.discussion_id)
    assert (d.comment_count, d.commenter_count) == (80, 40)
    assert d.mayor_state == "queued"
    queued = db.session.scalar(
        select(func.count()).where(
            TimelineEvent.discussion_id == d.id, TimelineEvent.event == "mayor_queued"
        )
    )
    assert queued == 1


def _process_worker(db_url: str, upload_dir: str, pid: int, user_ids: list[int], start) -> None:
    app = create_app(base_config(db_url) | {"UPLOAD_DIR": upload_dir})
    with app.app_context():
        start.wait()
        for uid in user_ids:
            _give(pid, uid)
        db.session.remove()
        db.engine.dispose()


def test_several_processes_give_gonggam_at_once(app, users, db_url, tmp_path):
    p = proposal(users.resident)
    people = residents(PEOPLE)
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    slices = [[person.id for person in people[i::4]] for i in range(4)]
    processes = [
        context.Process(target=_process_worker, args=(db_url, str(tmp_path), p.id, ids, start))
        for ids in slices
    ]
    for process in processes:
        process.start()
    start.set()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    db.session.expire_all()
    p = db.session.get(Proposal, p.id)
    assert p.gonggam_count == PEOPLE and p.state == "review"
    reviews = db.session.scalar(
        select(func.count()).where(
            TimelineEvent.discussion_id == p.discussion_id, TimelineEvent.event == "review"
        )
    )
    assert reviews == 1
