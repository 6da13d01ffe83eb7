"""The bigram index finds two-syllable Korean words on SQLite and PostgreSQL alike, and
follows what the operations do: a new proposal, an edit, hiding and restoring."""

from __future__ import annotations

from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.search_index import SearchGram, bigrams, term_grams
from gwanak.participation import operations as ops
from tests.factories import proposal


def _titles(client, term: str) -> str:
    return client.get("/policy/proposals", query_string={"q": term}).get_data(as_text=True)


def _grams_of(item_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(SearchGram.gram).where(
                SearchGram.kind == "proposal:policy", SearchGram.item_id == item_id
            )
        )
    )


def test_bigrams_are_the_pieces_of_words():
    assert bigrams("버스교통 개선", None) == {"버스", "스교", "교통", "개선"}
    assert bigrams("LED 교체") == {"le", "ed", "교체"}
    assert term_grams("교통") == ["교통"] and term_grams("길") == []
    assert len(term_grams("관악구 신림동 골목길 가로등 교체 요청")) == 4


def test_a_two_syllable_word_is_found_inside_a_longer_word(client, users):
    proposal(users.resident, "버스교통 개선", body="정류장이 멉니다.")
    proposal(users.resident, "공원 산책로 정비", body="운동기구를 놓아 주세요.")
    html = _titles(client, "교통")
    assert "버스교통 개선" in html and "공원 산책로 정비" not in html
    html = _titles(client, "산책")
    assert "공원 산책로 정비" in html and "버스교통 개선" not in html
    assert "공원 산책로 정비" in _titles(client, "운동")  # in the body
    assert "버스교통 개선" not in _titles(client, "교통공원")  # every bigram must be there


def test_a_longer_term_must_occur_as_written(client, users):
    proposal(users.resident, "주차장 확충", body="주차 공간이 부족합니다.")
    proposal(users.resident, "장차 주차 문제", body="차장 이야기")  # holds 주차 and 차장 apart
    html = _titles(client, "주차장")
    assert "주차장 확충" in html and "장차 주차 문제" not in html
    assert "주차장 확충" in _titles(client, "공간이 부족")  # across a space


def test_hidden_proposals_leave_the_index_and_come_back_when_restored(client, users):
    p = proposal(users.resident, "교통 신호 개선")
    assert "교통" in _grams_of(p.id)
    ops.hide_proposal(p, users.planning, "광고성 글")
    assert _grams_of(p.id) == set()
    assert "교통 신호 개선" not in _titles(client, "교통")
    ops.restore_proposal(p, users.planning, "오해였습니다")
    assert "교통 신호 개선" in _titles(client, "교통")


def test_a_withdrawn_proposal_leaves_the_index(client, users):
    p = proposal(users.resident, "교통 신호 개선")
    ops.withdraw_proposal(p, users.resident)
    assert _grams_of(p.id) == set()
    assert "교통 신호 개선" not in _titles(client, "교통")


def test_the_index_is_kept_per_board(client, users):
    from gwanak.governance.routes import GOVERNANCE_BOARD

    proposal(users.resident, "교통 신호 개선")
    proposal(users.resident, "교통 안전 협의체", board=GOVERNANCE_BOARD)
    assert "교통 안전 협의체" not in _titles(client, "교통")
    html = client.get("/governance/proposals?q=교통").get_data(as_text=True)
    assert "교통 안전 협의체" in html and "교통 신호 개선" not in html


def test_an_edit_updates_the_index(client, users):
    p = proposal(users.resident, "교통 신호 개선", body="신호가 짧습니다.")
    ops.edit_proposal(
        p,
        users.resident,
        title="공원 가로등 설치",
        body="밤에 어둡습니다.",
        category="안전",
        dong=None,
    )
    assert "교통" not in _grams_of(p.id) and "공원" in _grams_of(p.id)
    assert "공원 가로등 설치" not in _titles(client, "교통")
    assert "공원 가로등 설치" in _titles(client, "공원")


def test_the_reindex_command_rebuilds_the_index(runner, users):
    kept = proposal(users.resident, "교통 신호 개선")
    hidden = proposal(users.resident, "주차 단속 요청")
    ops.hide_proposal(hidden, users.planning, "광고성 글")
    db.session.execute(SearchGram.__table__.delete())
    db.session.commit()
    result = runner.invoke(args=["gwanak", "reindex"])
    assert "1건" in result.output
    assert "교통" in _grams_of(kept.id) and _grams_of(hidden.id) == set()
    total = db.session.scalar(select(func.count()).select_from(SearchGram))
    assert total == len(bigrams(kept.title, kept.body))


def test_a_word_with_other_filters_and_sorts(client, users):
    proposal(users.resident, "교통 신호 개선", category="교통")
    proposal(users.resident, "교통 안전 교육", category="안전")
    html = client.get("/policy/proposals?q=교통&category=안전").get_data(as_text=True)
    assert "교통 안전 교육" in html and "교통 신호 개선" not in html
    for sort in ("gonggam", "comments"):
        html = client.get(f"/policy/proposals?q=교통&sort={sort}").get_data(as_text=True)
        assert "교통 안전 교육" in html and "교통 신호 개선" in html and "(2건)" in html
