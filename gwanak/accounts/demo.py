"""Demo accounts so a fresh `make run` has people to log in as; helpers for the
features' demo seeders (`demo_user("planning")`, `demo_residents()`)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from gwanak.accounts.models import Level, Role, User
from gwanak.core.extensions import db

DEMO_DOMAIN = "demo.gwanak.example"


DEMO_ACCOUNTS = [
    ("admin", "관리자", Role.ADMIN, None, None),
    ("audit", "감사담당관 직원", Role.STAFF, "감사담당관", None),
    ("planning", "기획예산과 직원", Role.STAFF, "기획예산과", None),
    ("autonomy", "자치행정과 직원", Role.STAFF, "자치행정과", None),
    ("boramae", "보라매동 주민센터 직원", Role.STAFF, None, "boramae"),
    # Departments beyond the menus' owners, to which proposals are handed for an answer.
    ("traffic", "교통행정과 직원", Role.STAFF, "교통행정과", None),
    ("parking", "주차관리과 직원", Role.STAFF, "주차관리과", None),
    ("parks", "공원녹지과 직원", Role.STAFF, "공원녹지과", None),
    ("seniors", "어르신복지과 직원", Role.STAFF, "어르신복지과", None),
    ("smart", "스마트정보과 직원", Role.STAFF, "스마트정보과", None),
    ("mayor", "관악구청장", Role.MAYOR, None, None),
]
DEMO_RESIDENTS = [
    ("kim", "김철우", "거주", "boramae"),
    ("lee", "이영희", "거주", "sillim"),
    ("park", "박민수", "직장", "nakseongdae"),
    ("choi", "최지은", "학교", "daehak"),
    ("jung", "정하늘", "거주", "seowon"),
    ("kang", "강서연", "거주", "cheongnim"),
    ("yoon", "윤도현", "거주", "inheon"),
]
# Neighbours who 공감 and comment in the demo threads, so a discussion reads like many
# people rather than the same seven. They log in with the same password as the others.
DEMO_NEIGHBOURS = [
    ("seo", "서미란", "거주", "seorim"),
    ("han", "한준호", "거주", "sinwon"),
    ("oh", "오경숙", "거주", "nangok"),
    ("shin", "신재훈", "직장", "seowon"),
    ("kwon", "권나래", "거주", "haengun"),
    ("hwang", "황보영민", "거주", "cheongnyong"),
    ("song", "송다인", "학교", "daehak"),
    ("ryu", "류상길", "거주", "namhyeon"),
    ("hong", "홍예진", "거주", "jungang"),
    ("moon", "문태식", "거주", "euncheon"),
    ("bae", "배소윤", "거주", "nanhyang"),
    ("jo", "조은별", "거주", "sinsa"),
    ("nam", "남궁현", "거주", "seonghyeon"),
    ("yang", "양희정", "거주", "jowon"),
    ("ahn", "안성호", "직장", "nakseongdae"),
    ("baek", "백지수", "거주", "miseong"),
    ("im", "임동규", "거주", "samseong"),
    ("noh", "노유나", "학교", "cheongnim"),
]


def demo_user(local: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == f"{local}@{DEMO_DOMAIN}"))


def demo_residents() -> list[User]:
    return [u for u in (demo_user(local) for local, *_ in DEMO_RESIDENTS) if u is not None]


def seed_organisation() -> Iterator[str]:
    """The district's departments and 동 주민센터 (idempotent)."""
    from gwanak.accounts.organisation import load_organisation

    if added := load_organisation():
        yield f"부서와 동 주민센터 {added}곳을 불러왔습니다."


def demo_people() -> dict[str, User]:
    """Every demo resident and neighbour, by the local part of their e-mail."""
    locals_ = [local for local, *_ in DEMO_RESIDENTS + DEMO_NEIGHBOURS]
    emails = {f"{local}@{DEMO_DOMAIN}": local for local in locals_}
    users = db.session.scalars(select(User).where(User.email.in_(emails)))
    return {emails[user.email]: user for user in users}


def seed_accounts() -> Iterator[str]:
    """Demo accounts share one random password, written to instance/demo-accounts.txt."""
    if demo_user("admin") is not None:
        return
    from gwanak.accounts.operations import hash_password
    from gwanak.core import clock

    password = secrets.token_urlsafe(9)
    hashed = hash_password(password)
    lines = []
    for local, name, role, department, office_dong in DEMO_ACCOUNTS:
        db.session.add(
            User(
                email=f"{local}@{DEMO_DOMAIN}",
                password_hash=hashed,
                name=name,
                role=role,
                department=department,
                office_dong=office_dong,
                verification_level=Level.EMAIL,
                email_confirmed_at=clock.now(),
            )
        )
        lines.append(f"{local}@{DEMO_DOMAIN}  ({name})")
    for local, name, relation, dong_slug in DEMO_RESIDENTS + DEMO_NEIGHBOURS:
        db.session.add(
            User(
                email=f"{local}@{DEMO_DOMAIN}",
                password_hash=hashed,
                name=name,
                role=Role.RESIDENT,
                relation=relation,
                dong=dong_slug,
                privacy_consented_at=clock.now(),
                verification_level=Level.EMAIL,
                email_confirmed_at=clock.now(),
            )
        )
        lines.append(f"{local}@{DEMO_DOMAIN}  ({name}, 주민)")
    db.session.commit()
    note = Path(
        current_app.config.get("DEMO_ACCOUNTS_FILE")
        or Path(current_app.instance_path) / "demo-accounts.txt"
    )
    note.write_text(
        "데모 계정 (모두 같은 비밀번호)\n비밀번호: " + password + "\n" + "\n".join(lines) + "\n",
        encoding="utf-8",
    )
    yield f"데모 계정 {len(lines)}개를 만들었습니다. 비밀번호는 {note} 에 있습니다."
