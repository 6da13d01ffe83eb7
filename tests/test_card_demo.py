"""The demo agrees with the 6-1-1 card: contests, the monthly event, agendas per year."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date

from sqlalchemy import extract, func, select

from gwanak.core.extensions import db
from gwanak.policy.asks.models import Agenda
from gwanak.policy.contest import operations as contest_ops
from gwanak.policy.contest.models import ContestEntry
from gwanak.policy.event.models import EventWinner

# The card: 2022. 7.~12. 260천 원 (제안 4, 댓글 9); 2023. 1.~6. 100천 원 (제안 2, 댓글 4);
# 7. 60천 원; 8. 없음; 9. 20천 원; 10. 40천 원; 11. 20천 원.
CARD_PAYOUTS = {(202207, 202212): 260_000, (202301, 202306): 100_000, (202307, 202307): 60_000,
                (202308, 202308): 0, (202309, 202309): 20_000, (202310, 202310): 40_000,
                (202311, 202311): 20_000}  # fmt: skip


def test_the_demo_tells_the_cards_contests_event_and_agendas(runner, client):
    result = runner.invoke(args=["gwanak", "seed-demo"])
    assert result.exit_code == 0, result.output

    old = contest_ops.contest_statistics(contest_ops.contest_for_year(2022))
    assert (old.received, old.valid, old.excluded) == (13, 13, 0)
    assert sum(old.excellent_by_grade.values()) == 5
    excellent_2022 = db.session.scalars(
        select(ContestEntry.relation).where(ContestEntry.state == "excellent",
                                            ContestEntry.contest.has(year=2022))
    ).all()  # fmt: skip
    assert sorted(r == "official" for r in excellent_2022) == [False] * 3 + [True] * 2
    assert client.get("/policy/contest/2022").status_code == 200

    esg = contest_ops.contest_for_year(2023)
    assert (esg.title, esg.opens_on, esg.closes_on) == (
        "ESG 아이디어 공모전",
        date(2023, 5, 1),
        date(2023, 5, 31),
    )
    stats = contest_ops.contest_statistics(esg)
    assert (stats.received, stats.valid, stats.excluded) == (70, 57, 13)
    assert stats.excluded_by_cause == {"duplicate": 1, "non_proposal": 12}
    assert stats.by_relation.get("official") == 10
    assert set(stats.by_channel) == {"online", "epeople", "email", "post", "visit"}
    assert sum(stats.excellent_by_grade.values()) == 8 and stats.adopted_on_review == 2
    titles = db.session.scalars(select(ContestEntry.title)).all()
    assert not [t for t in titles if re.search(r"제안 \d+$", t)]
    assert len(set(titles)) == len(titles) - 1  # the one sent twice

    paid: dict[int, int] = defaultdict(int)
    for month, amount, paid_on in db.session.execute(
        select(EventWinner.month, EventWinner.amount, EventWinner.paid_on)
    ):
        paid[month] += amount if paid_on else 0
    for (first, last), amount in CARD_PAYOUTS.items():
        assert sum(v for m, v in paid.items() if first <= m <= last) == amount, first

    year = extract("year", Agenda.opens_on)
    per_year = dict(
        db.session.execute(select(year, func.count()).group_by(year)).all()  # type: ignore[arg-type]
    )
    second_half = db.session.scalar(
        select(func.count()).where(Agenda.opens_on >= date(2022, 7, 1), year == 2022)
    )
    kinds_2023 = dict(
        db.session.execute(
            select(Agenda.kind, func.count()).where(year == 2023).group_by(Agenda.kind)
        ).all()
    )
    assert second_half == 6 and per_year[2023] == 12
    assert kinds_2023 == {"general": 8, "governance": 4}
    by_card_date = db.session.scalar(
        select(func.count()).where(Agenda.opens_on <= date(2023, 12, 18))
    )
    assert by_card_date == 31
