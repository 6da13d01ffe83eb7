"""Factories: the world a test needs, built through the app's own operations.

Each builder calls the operation a request would run (create_proposal, give_gonggam,
post_comment, post_agenda, propose/move_phase, save_project, create_notice,
create_contest/submit_entry, apply/schedule/complete, save_task, import_catalogue,
ensure_page), so test data obeys the same rules as real data and commits as they do.
Only where the app has no operation (accounts with a cached password hash, school
classes) does a builder write rows itself, and it says so.

Builders run in the test's app context (the `app` fixture, or the live server's app in
browser tests). Nothing here imports the demo modules: `seed-demo` is tested through the
CLI in tests/test_cli.py, and its seeding API is free to change.
"""

from __future__ import annotations

import copy
import itertools
import json
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from gwanak.accounts.models import Level, Role, User
from gwanak.accounts.operations import hash_password
from gwanak.budget.models import (
    BudgetProject,
    BudgetProposal,
    BudgetRound,
    Phase,
    SchoolClass,
    SchoolCourse,
)
from gwanak.budget.operations import save_project
from gwanak.budget.proposal_operations import move_phase, propose, save_round
from gwanak.cheong import operations as dates
from gwanak.core import clock
from gwanak.core.extensions import db
from gwanak.core.menus import pledge_card
from gwanak.governance import operations as governance
from gwanak.governance.routes import GOVERNANCE_BOARD
from gwanak.manifesto.catalogue import import_catalogue
from gwanak.manifesto.models import Pledge
from gwanak.notices import operations as notices
from gwanak.notices.boards import BUDGET_NOTICES, GOVERNANCE_NOTICES, dong_notice_board
from gwanak.pages.operations import all_page_keys, ensure_page
from gwanak.participation import operations as participation
from gwanak.participation.models import Comment
from gwanak.policy.asks import operations as asks
from gwanak.policy.board import POLICY_BOARD
from gwanak.policy.contest import operations as contests

TEST_PASSWORD = "correct-horse-battery"
_HASH_CACHE: dict[str, str] = {}
_serial = itertools.count(1)


# ---------------------------------------------------------------- accounts


def password_hash(password: str = TEST_PASSWORD) -> str:
    # scrypt is slow on purpose; hash the shared test password once per process.
    if password not in _HASH_CACHE:
        _HASH_CACHE[password] = hash_password(password)
    return _HASH_CACHE[password]


def make_user(
    role: str = Role.RESIDENT,
    *,
    name: str = "김철우",
    email: str | None = None,
    department: str | None = None,
    office_dong: str | None = None,
    dong: str | None = "boramae",
    confirmed: bool = True,
) -> User:
    """A consented account of any role with TEST_PASSWORD; its e-mail confirmed
    (Level.EMAIL) unless `confirmed=False` — an account that may read but not take part.

    Written directly: register_resident/create_user would hash the password each time,
    and scrypt for every user would double the suite's time."""
    user = User(
        email=email or f"user{next(_serial)}@example.com",
        password_hash=password_hash(),
        name=name,
        role=role,
        department=department,
        office_dong=office_dong,
        relation="거주" if role == Role.RESIDENT else None,
        dong=dong if role == Role.RESIDENT else None,
        privacy_consented_at=clock.now(),
        verification_level=Level.EMAIL if confirmed else Level.NONE,
        email_confirmed_at=clock.now() if confirmed else None,
    )
    db.session.add(user)
    db.session.commit()
    return user


def residents(count: int, prefix: str = "주민") -> list[User]:
    return [make_user(name=f"{prefix}{next(_serial)}") for _ in range(count)]


class UserWorld:
    """One user of each role (the `users` fixture): resident, neighbour, unconfirmed, audit, planning,
    autonomy, boramae (보라매동 주민센터), mayor, admin."""

    def __init__(self) -> None:
        self.resident = make_user(name="김철우")
        self.neighbour = make_user(name="이영희", dong="sillim")
        # Signed up, e-mail not yet confirmed: may read, may not take part.
        self.unconfirmed = make_user(name="최미정", dong="boramae", confirmed=False)
        self.audit = make_user(Role.STAFF, name="감사 직원", department="감사담당관")
        self.planning = make_user(Role.STAFF, name="기획 직원", department="기획예산과")
        self.autonomy = make_user(Role.STAFF, name="자치 직원", department="자치행정과")
        self.boramae = make_user(Role.STAFF, name="보라매동 직원", office_dong="boramae")
        self.mayor = make_user(Role.MAYOR, name="구청장")
        self.admin = make_user(Role.ADMIN, name="관리자")


# ---------------------------------------------------------------- participation boards


def proposal(author: User, title: str = "골목길 가로등을 밝게 해 주세요", *, board=None, **changes):
    """A proposal on a board (정책참여 unless `board` is another BoardSpec)."""
    fields = {
        "title": title,
        "body": "밤에 골목이 어둡습니다. 가로등을 LED로 바꿔 주세요.",
        "category": "안전",
        "dong": "boramae",
    }
    fields.update(changes)
    return participation.create_proposal(board or POLICY_BOARD, author, **fields)


def gonggam(target, people: list[User]) -> None:
    """Each person gives the proposal their 공감 (the board's threshold rules apply)."""
    for person in people:
        participation.give_gonggam(target, person)


def comments(discussion, people: list[User], body: str = "좋은 제안입니다.") -> list:
    """One comment by each person in a discussion (a proposal's, an agenda's, a pledge's)."""
    return [participation.post_comment(discussion, person, body) for person in people]


# ---------------------------------------------------------------- 관악구가 묻습니다!


def make_agenda(
    user: User,
    kind: str = "general",
    poll: tuple[str, ...] | list[str] | None = ("찬성", "반대"),
    opens: date = date(2026, 3, 1),
    closes: date = date(2026, 3, 31),
    *,
    title: str = "봉천천 산책로 야간 조명, 어떻게 할까요?",
    body: str = "**의견**을 들려주세요.",
):
    """An agenda posted by staff, with a poll unless `poll` is None."""
    data = asks.AgendaFields(
        kind=kind,
        title=title,
        body=body,
        opens_on=opens,
        closes_on=closes,
        poll_question="야간 조명을 늘릴까요?" if poll else "",
        poll_options=list(poll) if poll else [],
    )
    agenda = asks.post_agenda(user, data)
    db.session.commit()
    return agenda


def poll_votes(agenda, people: list[User], option: int = 0) -> None:
    """Each person votes for the agenda's option number `option` (while it is open)."""
    for person in people:
        asks.cast_vote(agenda, person, agenda.options[option].id)


# ---------------------------------------------------------------- 주민참여예산

# The 2027 round's calendar: proposals in March 2026, review April, deliberation May,
# vote 6/1–6/10 (Korean dates); moments inside each phase, as naive UTC.
ROUND_DATES = {
    "proposal_starts": date(2026, 3, 1),
    "proposal_ends": date(2026, 3, 31),
    "review_ends": date(2026, 4, 30),
    "deliberation_ends": date(2026, 5, 31),
    "vote_starts": date(2026, 6, 1),
    "vote_ends": date(2026, 6, 10),
}
IN_PROPOSALS = datetime(2026, 3, 10, 3, 0)
IN_REVIEW = datetime(2026, 4, 10, 3, 0)
IN_VOTE = datetime(2026, 6, 5, 3, 0)
AFTER_VOTE = datetime(2026, 6, 11, 3, 0)


def make_round(year: int = 2027, **dates: date) -> BudgetRound:
    return save_round(None, {"year": year, **ROUND_DATES, **dates}, None)


def proposal_in_voting(
    budget_round: BudgetRound, author: User, frozen, staff: User, title: str = "그늘막 설치"
) -> BudgetProposal:
    """A budget proposal moved by `staff` through review and deliberation to the vote.

    Leaves the clock frozen in the review phase; the test moves it on."""
    frozen(IN_PROPOSALS)
    extra = propose(
        budget_round, author, title=title, body="필요합니다.", category="안전",
        dong="boramae", place="보라매공원", estimated_cost=10_000_000,
    )  # fmt: skip
    frozen(IN_REVIEW)
    move_phase(extra, Phase.REVIEW, staff)
    move_phase(extra, Phase.DELIBERATION, staff, note="설치 가능")
    move_phase(extra, Phase.VOTING, staff)
    return extra


def add_project(actor: User | None = None, **changes) -> BudgetProject:
    """A 실행사업 entered by 자치행정과 (audited like the staff form)."""
    values = {
        "year": 2025,
        "title": "보라매공원 산책로 조명 개선",
        "dong": "boramae",
        "department": "공원녹지과",
        "budget": 50_000_000,
        "spent": 20_000_000,
        "progress": 40,
        "state": "ongoing",
    }
    values.update(changes)
    return save_project(None, values, actor.id if actor else None)


def make_class(
    capacity: int = 2,
    starts_in: timedelta = timedelta(days=5),
    course_title: str = "주민참여예산 기초 과정",
) -> SchoolClass:
    """A 주민참여예산학교 class `starts_in` from now.

    Written directly: courses and classes are created in budget/routes.py, not by an
    operation a test could call."""
    course = SchoolCourse(title=course_title, description="예산의 기초")
    db.session.add(course)
    db.session.flush()
    school_class = SchoolClass(
        course_id=course.id,
        number=1,
        starts_at=clock.now() + starts_in,
        place="관악구청 8층 대강당",
        capacity=capacity,
    )
    db.session.add(school_class)
    db.session.commit()
    return school_class


# ---------------------------------------------------------------- notices


def notice(board, author: User | None, title: str = "주민자치회 위원 모집 공고", **changes):
    """A notice on a board (BUDGET_NOTICES, GOVERNANCE_NOTICES, dong_notice_board(...))."""
    fields = {"title": title, "body_md": "모집 기간과 자격을 안내합니다."}
    fields.update(changes)
    return notices.create_notice(board, author.id if author else None, **fields)


# ---------------------------------------------------------------- 창의제안 공모전


def make_contest(year: int = 2023, **overrides):
    """A contest open through June of `year`."""
    fields = contests.ContestFields(
        year=year,
        title="창의제안 공모전",
        theme="구민 생활 불편 개선",
        opens_on=date(year, 6, 1),
        closes_on=date(year, 6, 30),
        eligibility=["resident", "worker", "official"],
        grades=["금상", "은상", "동상", "장려"],
        prize_rules="금상 50만원",
    )
    for key, value in overrides.items():
        setattr(fields, key, value)
    contest = contests.create_contest(fields, None)
    db.session.commit()
    return contest


def entry_fields(title: str = "골목길 조명 개선", relation: str = "resident", **extra):
    return contests.EntryFields(
        title=title,
        problem="밤에 골목길이 어둡습니다.",
        proposal="태양광 조명을 답니다.",
        effect="안전한 귀갓길",
        relation=relation,
        consent=True,
        **extra,
    )


def contest_entry(contest, user: User, title: str = "골목길 조명 개선", **extra):
    """An online entry (the clock must be inside the contest's period)."""
    return contests.submit_entry(contest, user, entry_fields(title, **extra))


# ---------------------------------------------------------------- 구청장 소통데이트


# The 데이트 builders keep to one calendar (preferences on 1-2 Dec 2026, a meeting on
# 26 Nov 2026 at 14:00 KST). A test whose clock is later than the morning of 26 Nov
# (KST) — a suite run after that day — builds them as of that morning, so the dates
# stay in the future where the rules want them; an earlier clock is left as it is.
DATE_CALENDAR_NOW = datetime(2026, 11, 25, 23, 0)  # 26 Nov 2026, 08:00 KST


def _on_the_date_calendar():
    return clock.frozen(min(clock.now(), DATE_CALENDAR_NOW))


def date_application(applicant: User, title: str = "산책로 조명", **changes):
    """An application for a 소통데이트, 접수 (two preferred working days in Dec 2026)."""
    fields = {
        "title": title,
        "body": "밤길이 어둡습니다. 조명을 늘려 주세요.",
        "group_size": 2,
        "preferences": [
            dates.Preference(date(2026, 12, 1), "오전"),
            dates.Preference(date(2026, 12, 2), "오후"),
        ],
        "phone": "010-1234-5678",
        "publish_body": False,
        "consented": True,
    }
    fields.update(changes)
    with _on_the_date_calendar():
        return dates.apply(applicant, **fields)


def held_date(applicant: User, staff: User, title: str = "산책로 조명", **changes):
    """An application that `staff` (감사담당관) scheduled for 2026-11-26 14:00 and marked
    held that evening (the clock then goes back to where the test had it)."""
    application = date_application(applicant, title, **changes)
    with _on_the_date_calendar():
        dates.schedule(application, staff, day=date(2026, 11, 26), at=time(14), place="구청장실")
    with clock.frozen(datetime(2026, 11, 26, 8, 0)):
        dates.complete(application, staff)
    return application


# ---------------------------------------------------------------- 협치관악


GOVERNANCE_TASK = {
    "year": "2025",
    "title": "마을 공동체 공간 공동 운영",
    "department": "자치행정과",
    "state": "추진중",
    "partners": "관악구 협치회의\n관악사회적경제네트워크",
    "summary": "주민과 구가 함께 공간을 운영합니다.",
    "result": "",
}


def make_task(year: int = 2025, **changes):
    return governance.save_task(None, None, dict(GOVERNANCE_TASK, year=str(year), **changes))


# ---------------------------------------------------------------- stored pages


def stored_pages(body: str = "관악구가 주민에게 알리는 내용입니다.") -> None:
    """Every page the menus and the 21 동 name, each with a first revision."""
    for key, title in all_page_keys():
        ensure_page(key, title, f"## {title}\n\n{body}")
    db.session.commit()


# ---------------------------------------------------------------- 매니페스토

# Which of the portal's own figures counts each indicator of the 6-1-1 card once the
# portal runs (from the year after the card's figures): asks, contests, event months.
CARD_LIVE_SOURCES = {
    1: "policy.asks_per_year",
    2: "policy.contests_per_year",
    3: "policy.event_months_per_year",
}


def card_catalogue() -> dict:
    """The district's 6-1-1 card (gwanak/data/pledge-6-1-1.json) as an importable catalogue.

    The card prints each indicator's total actual as of its date; the yearly actuals
    here spread that total over the years in order, each year up to its target (the
    card's 18 = 6 + 12). The parent 6-1 has no indicators of its own and counts 50:50
    with 6-1-1, so the card's total is 20.0 %. A fresh copy on each call."""
    card = copy.deepcopy(pledge_card())
    as_of = int(card["site_statistics"]["as_of"][:4])
    indicators = []
    for raw in card["indicators"]:
        figures = _yearly_figures(raw["targets"], raw["actual"], as_of)
        for quarter, target in raw.get(f"quarter_targets_{as_of}", {}).items():
            figures.append({"year": as_of, "quarter": int(quarter[1:]), "target": target})
        indicators.append(
            {
                "no": raw["no"],
                "name": raw["name"],
                "measure": raw["measure"],
                "unit": raw["unit"],
                "weight": raw["weight"],
                "target": raw["target"],
                "live_source": CARD_LIVE_SOURCES[raw["no"]],
                "live_from": as_of + 1,
                "figures": figures,
            }
        )
    budget = [
        {
            "year": int(year),
            "source": source,
            "planned": planned,
            "executed": card["budget_executed"].get(source, {}).get(year),
        }
        for source, years in card["budget_plan"].items()
        if source != "total"
        for year, planned in years.items()
    ]
    contest = card["contest_2023"]
    opened = date.fromisoformat(contest["period"][0])
    pledge = {
        "code": card["code"],
        "title": card["title"],
        "department": card["department"],
        "kind": card["kind"],
        "completion": card["completion"],
        "period": card["period"],
        "actor": card["actor"],
        "central_help": card["central_government_help"],
        "status": card["status"],
        "goals": card["goals"],
        "indicators": indicators,
        "budget": budget,
        # The card's figures as of its date are the pledge's first 공표.
        "published": [
            {
                "period": "year",
                "year": as_of,
                "no": 0,
                "as_of": card["site_statistics"]["as_of"],
                "actuals": {str(raw["no"]): raw["actual"] for raw in card["indicators"]},
                "budget_executed": card["budget_executed"]["total"],
            }
        ],
        "milestones": [
            {
                "date": opened.isoformat(),
                "when": f"{opened.year}. {opened.month}.",
                "title": f"{opened.year}년 {contest['theme']} 공모전 개최",
                "detail": f"접수 {contest['received']}건, 제안 {contest['valid']}건, "
                f"제외 {contest['excluded']}건",
            }
        ],
    }
    group = {
        "code": card["parent_code"],
        "title": "주민과 함께하는 소통·협치 행정",
        "rollup": {"group": 50, "pledges": 50},
        "indicators": [],
        "pledges": [pledge],
    }
    area = card["code"].split("-")[0]
    return _catalogue(area, "소통과 협치의 열린 구정", group)


def _yearly_figures(targets: dict[str, int], total_actual, as_of: int) -> list[dict]:
    left = total_actual
    figures = []
    for year in sorted(targets, key=int):
        actual = None
        if int(year) <= as_of:
            actual = min(targets[year], left)
            left -= actual
        figures.append({"year": int(year), "quarter": 0, "target": targets[year], "actual": actual})
    assert left == 0, "the card's actual is more than its yearly targets"
    return figures


def _catalogue(area: str, area_title: str, group: dict) -> dict:
    return {
        "format": "gwanak-manifesto/1",
        "areas": [
            {
                "code": area,
                "title": area_title,
                "goals": [{"code": f"{area}-S", "title": f"{area_title} 전략", "groups": [group]}],
            }
        ],
    }


def load_catalogue(catalogue: dict, actor: User | None = None):
    """Import a catalogue document as staff upload it; fails the test on any problem."""
    report = import_catalogue(
        json.dumps(catalogue, ensure_ascii=False), "json", actor.id if actor else None
    )
    assert report.ok, report.problems
    return report


def card_pledge(actor: User | None = None):
    """The 6-1-1 pledge, imported from the card."""
    load_catalogue(card_catalogue(), actor)
    return db.session.scalar(select(Pledge).where(Pledge.code == pledge_card()["code"]))


def publish_pledge(pledge, as_of: date = date(2024, 12, 20), kind: str = "year", number: int = 0):
    """공표 of the pledge's figures as they are now (the coordinating department's step)."""
    from gwanak.manifesto.publishing import Period, freeze_report
    from gwanak.manifesto.rates import pledge_report

    snapshot = freeze_report(pledge_report(pledge), Period(kind, as_of.year, number, as_of), None)
    db.session.commit()
    return snapshot


def indicator(
    name: str, target, actuals: dict[int, object], *, no: int = 1, weight: int = 100
) -> dict:
    """An indicator with yearly actuals ({2023: 12, 2024: None}), for make_pledge."""
    figures = [{"year": y, "quarter": 0, "actual": a} for y, a in actuals.items()]
    return {"no": no, "name": name, "weight": weight, "target": target, "figures": figures}


def make_pledge(
    code: str,
    *,
    title: str | None = None,
    department: str = "기획예산과",
    status: str = "정상추진",
    area_title: str | None = None,
    indicators: list[dict] | None = None,
    period: tuple[int, int] = (2022, 2026),
):
    """A pledge in its own area, goal and group (5-1-2 → 5, 5-S, 5-1), imported."""
    area = code.split("-")[0]
    pledge = {
        "code": code,
        "title": title or f"공약 {code}",
        "department": department,
        "kind": "계속",
        "completion": "임기 내",
        "period": list(period),
        "actor": "자치구",
        "central_help": "해당없음",
        "status": status,
        "goals": [],
        "indicators": indicators or [indicator("확인지표", 10, {2023: 5})],
    }
    group = {
        "code": code.rsplit("-", 1)[0],
        "title": f"공약 {code.rsplit('-', 1)[0]}",
        "rollup": {"group": 0, "pledges": 100},
        "pledges": [pledge],
    }
    load_catalogue(_catalogue(area, area_title or f"분야 {area}", group))
    return db.session.scalar(select(Pledge).where(Pledge.code == code))


def four_pledges() -> list:
    """The card (기획예산과) and three pledges in two more areas: 5-1-1 (자치행정과, 정상추진),
    5-1-2 (자치행정과, 부진) and 7-1-1 (감사담당관, 완료, every target met)."""
    self_rule = "주민이 주인인 자치 관악"
    return [
        card_pledge(),
        make_pledge(
            "5-1-1", title="주민참여예산 사업 확대", department="자치행정과",
            area_title=self_rule, indicators=[indicator("참여예산 사업 선정", 60, {2023: 18})],
        ),
        make_pledge(
            "5-1-2", title="21개동 주민자치회 활성화", department="자치행정과", status="부진",
            area_title=self_rule, indicators=[indicator("자치계획 수립", 42, {2024: 9})],
        ),
        make_pledge(
            "7-1-1", title="구청장과 소통데이트 정례화", department="감사담당관", status="완료",
            area_title="구청장과 가까운 관악",
            indicators=[indicator("소통데이트 개최", 24, {2023: 12, 2024: 12})],
        ),
    ]  # fmt: skip


# ---------------------------------------------------------------- one of everything


def one_of_everything(users: UserWorld) -> dict:
    """One of everything, made by the factories (the authorisation matrix and the
    hostile-input sweep use it); returns the ids addresses need. Leaves the clock frozen
    on 2026-02-20 (the agenda and contest are open then)."""

    # 소통데이트 want dates ahead of today (the real one).
    date_application(users.neighbour)
    held_date(users.neighbour, users.audit, title="공원 화장실")
    clock.set_frozen(IN_PROPOSALS)
    policy = proposal(users.neighbour, "야간 버스 증편")
    comments(policy.discussion, [users.neighbour], "밤에 버스가 없습니다.")
    governance = proposal(users.neighbour, "마을 공간 공동 운영", board=GOVERNANCE_BOARD)
    budget_round = make_round()
    from gwanak.budget.proposal_operations import propose

    budget = propose(
        budget_round, users.neighbour, title="그늘막 설치", body="필요합니다.",
        category="안전", dong="boramae", place="보라매공원", estimated_cost=10_000_000,
    )  # fmt: skip
    clock.set_frozen(datetime(2026, 2, 20, 3, 0))
    make_agenda(users.planning)
    contest = make_contest(2026, opens_on=datetime(2026, 2, 1).date())
    contest_entry(contest, users.neighbour)
    make_class()
    add_project(users.autonomy)
    make_task()
    for board in (BUDGET_NOTICES, GOVERNANCE_NOTICES, dong_notice_board("boramae")):
        notice(board, users.autonomy)
    pledge = card_pledge(users.planning)
    stored_pages()
    db.session.commit()
    return {
        "policy": policy.id,
        "governance": governance.id,
        "budget": budget.proposal_id,
        "comment": db.session.scalar(select(Comment.id)),
        "year": 2026,
        "code": pledge.code,
    }
