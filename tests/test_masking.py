"""Personal data typed into public text is masked, however it is written; titles too,
on every board and in every list; a hidden proposal's title is public nowhere."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gwanak.core.extensions import db
from gwanak.core.masking import contains_personal_data, mask_personal_data
from gwanak.participation import operations as ops
from tests.factories import proposal

PHONE = "010-1234-5678"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("+82 10 1234 5678", "+82 10 **** 5678"),
        ("+82-10-1234-5678", "+82-10-****-5678"),
        ("+82 (0)10-1234-5678", "+82 (0)10-****-5678"),
        ("０１０-１２３４-５６７８", "010-****-5678"),
        ("010 - 1234 - 5678", "010 - **** - 5678"),
        ("010.1234.5678로 연락", "010.****.5678로 연락"),
        ("연락처01012345678입니다", "연락처010****5678입니다"),
        ("(02) 123-4567", "(02) ***-4567"),
        ("900101-1234567", "900101-*******"),
        ("900101 - 1234567", "900101-*******"),
        ("９００１０１－１２３４５６７", "900101-*******"),
        ("kim.cs@naver.com", "ki***@naver.com"),
        ("ｋｉｍ＠ｎａｖｅｒ．ｃｏｍ", "ki***@naver.com"),
        ("kim [at] naver [dot] com", "ki***@naver [dot] com"),
        ("kim @ naver.com", "ki***@naver.com"),
    ],
)
def test_phone_numbers_rrns_and_emails_are_masked_in_every_common_spelling(text, masked):
    assert mask_personal_data(text) == masked
    assert contains_personal_data(text)


@pytest.mark.parametrize(
    "text", ["2024-10-01 회의", "예산 1,234,567원", "10시 30분", "제2023-123호", "3.14159265"]
)
def test_dates_amounts_and_numbers_are_left_alone(text):
    assert mask_personal_data(text) == text
    assert not contains_personal_data(text)


# ---------------------------------------------------------------- properties

FULL_WIDTH = str.maketrans("0123456789-+", "０１２３４５６７８９－＋")
# Korean words, punctuation and spaces, never a digit, '+' or '@' (those join a number).
surrounding = st.text(alphabet="관악구 주민 제안 연락처 입니다.,!?()", max_size=20)
separators = st.sampled_from(["-", ".", " ", "", " - ", "  ", "·"])


@st.composite
def phone_numbers(draw):
    carrier = draw(st.sampled_from(["10", "11", "16", "17", "19", "2", "31", "51", "64", "70"]))
    middle = draw(st.from_regex(r"\A[0-9]{3,4}\Z"))
    last = draw(st.from_regex(r"\A[0-9]{4}\Z"))
    first_sep, second_sep = draw(separators), draw(separators)
    if draw(st.booleans()):
        prefix = "+82" + draw(st.sampled_from([" ", "-", "", " (0)"])) + carrier
    else:
        prefix = "0" + carrier
    number = f"{prefix}{first_sep}{middle}{second_sep}{last}"
    if draw(st.booleans()):
        number = number.translate(FULL_WIDTH)
    return number, middle, last


@given(phone_numbers(), surrounding, surrounding)
@settings(max_examples=300, deadline=None)
def test_any_phone_number_loses_its_middle_digits(phone, before, after):
    number, middle, last = phone
    text = f"{before}{number}{after}"
    masked = mask_personal_data(text)
    to_ascii = str.maketrans("０１２３４５６７８９", "0123456789")
    digits = re.sub(r"\D", "", masked.translate(to_ascii))
    # Every digit of the middle is gone and nothing else is: compared as the whole digit
    # string, since a prefix such as 016 may repeat the middle (016-016-0000).
    prefix_digits = re.sub(r"\D", "", number.translate(to_ascii))[: -len(middle + last)]
    assert digits == prefix_digits + last
    assert contains_personal_data(text)
    assert masked.startswith(before) and masked.endswith(after)


@st.composite
def rrns(draw):
    birth = draw(st.dates()).strftime("%y%m%d")
    rest = draw(st.sampled_from("12345678")) + draw(st.from_regex(r"\A[0-9]{6}\Z"))
    number = birth + draw(separators) + rest
    if draw(st.booleans()):
        number = number.translate(FULL_WIDTH)
    return number, rest


@given(rrns(), surrounding, surrounding)
@settings(max_examples=200, deadline=None)
def test_any_resident_registration_number_loses_its_back_half(rrn, before, after):
    number, rest = rrn
    masked = mask_personal_data(f"{before}{number}{after}")
    assert rest not in masked and rest.translate(FULL_WIDTH) not in masked


@st.composite
def emails(draw):
    local = draw(st.from_regex(r"\A[a-z][a-z0-9._]{3,12}\Z"))
    domain = draw(st.from_regex(r"\A[a-z]{2,10}\Z")) + draw(st.sampled_from([".com", ".co.kr"]))
    at = draw(st.sampled_from(["@", " @ ", "＠", "[at]", " (at) "]))
    return local + at + domain, local


@given(emails(), surrounding, surrounding)
@settings(max_examples=200, deadline=None)
def test_any_email_address_loses_its_local_part(email, before, after):
    address, local = email
    masked = mask_personal_data(f"{before} {address} {after}")
    assert local not in masked


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_masking_twice_changes_nothing_more(text):
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once


@given(
    st.text(
        alphabet=st.characters(blacklist_categories=("Nd",), blacklist_characters="@＠"),
        max_size=80,
    )
)
@settings(max_examples=300, deadline=None)
def test_text_without_digits_or_at_signs_is_unchanged(text):
    if "at" in text.lower() or "골뱅이" in text:
        return
    assert mask_personal_data(text) == text


# ---------------------------------------------------------------- titles on pages


def _title_tag(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_titles_are_masked_in_the_title_tag_of_every_boards_proposal_page(client, users, frozen):
    from gwanak.budget.proposal_operations import propose
    from gwanak.governance.routes import GOVERNANCE_BOARD
    from tests.test_budget_proposals import IN_PROPOSALS, make_round

    frozen(IN_PROPOSALS)
    title = f"가로등 고장 {PHONE}로 연락 주세요"
    policy = proposal(users.resident, title=title)
    governance = ops.create_proposal(
        GOVERNANCE_BOARD, users.resident, title=title, body="본문입니다.",
        category=GOVERNANCE_BOARD.categories[0], dong=None,
    )  # fmt: skip
    budget = propose(
        make_round(), users.resident, title=title, body="본문입니다.", category="안전",
        dong="boramae", place="보라매공원", estimated_cost=1_000_000,
    )  # fmt: skip
    pages = {
        "policy": f"/policy/proposals/{policy.id}",
        "governance": f"/governance/proposals/{governance.id}",
        "budget": f"/budget/proposals/{budget.proposal_id}",
        "budget list": "/budget/proposals",
        "policy list": "/policy/proposals",
        "home": "/",
    }
    for label, path in pages.items():
        html = client.get(path).get_data(as_text=True)
        assert "1234" not in html, label
        assert "010-****-5678" in html, label
    for label in ("policy", "governance", "budget"):
        assert "010-****-5678" in _title_tag(client.get(pages[label]).get_data(as_text=True))


def test_a_hidden_proposals_title_is_public_nowhere(client, auth, users, frozen):
    from gwanak.budget.proposal_operations import propose
    from tests.test_budget_proposals import IN_PROPOSALS, make_round

    frozen(IN_PROPOSALS)
    secret = "이웃집 험담 제목"
    policy = proposal(users.resident, title=secret)
    budget = propose(
        make_round(), users.resident, title=secret, body="본문입니다.", category="안전",
        dong="boramae", place="보라매공원", estimated_cost=1_000_000,
    )  # fmt: skip
    ops.hide_proposal(policy, users.planning, "명예훼손")
    ops.hide_proposal(budget.proposal, users.autonomy, "명예훼손")
    for path in (
        "/",
        "/policy/proposals",
        f"/policy/proposals/{policy.id}",
        "/budget/proposals",
        f"/budget/proposals/{budget.proposal_id}",
    ):
        response = client.get(path)
        assert secret not in response.get_data(as_text=True), path
    detail = client.get(f"/policy/proposals/{policy.id}").get_data(as_text=True)
    assert "숨김 처리된 제안" in _title_tag(detail) and "명예훼손" in detail
    # Its author and the department that hid it still see what it was.
    auth.login(users.planning)
    assert secret in client.get(f"/policy/proposals/{policy.id}").get_data(as_text=True)
    auth.logout()
    auth.login(users.resident)
    assert secret in client.get(f"/policy/proposals/{policy.id}").get_data(as_text=True)
    db.session.rollback()


def test_a_full_width_phone_in_a_title_flags_the_proposal_for_staff(app, users):
    assert proposal(users.resident, title="연락 ０１０-１２３４-５６７８").flagged_personal_data
