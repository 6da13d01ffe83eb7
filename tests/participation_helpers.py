"""Small builders for participation tests."""

from __future__ import annotations

from gwanak.participation import operations as ops
from gwanak.policy.board import POLICY_BOARD
from tests.conftest import make_user

_n = {"i": 0}


def residents(count: int, prefix: str = "주민"):
    people = []
    for _ in range(count):
        _n["i"] += 1
        people.append(make_user(name=f"{prefix}{_n['i']}", email=f"r{_n['i']}@example.com"))
    return people


def proposal(author, title: str = "골목길 가로등을 밝게 해 주세요", **changes):
    fields = {
        "title": title,
        "body": "밤에 골목이 어둡습니다. 가로등을 LED로 바꿔 주세요.",
        "category": "안전",
        "dong": "boramae",
    }
    fields.update(changes)
    return ops.create_proposal(POLICY_BOARD, author, **fields)
