"""`flask gwanak import-proposals`: the old portal's proposals, all or nothing, once."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from gwanak.core.extensions import db
from gwanak.core.operations import OperationError
from gwanak.participation.legacy_import import COLUMNS, import_proposals
from gwanak.participation.models import Answer, Proposal

SAMPLE = Path(__file__).resolve().parent.parent / "docs" / "samples" / "old-proposals.csv"


def proposals() -> int:
    return db.session.scalar(select(func.count(Proposal.id)))


def sample_rows() -> list[dict]:
    return list(csv.DictReader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_the_sample_imports_twice_and_each_proposal_is_there_once(runner, client):
    first = runner.invoke(args=["gwanak", "import-proposals", str(SAMPLE)])
    assert first.exit_code == 0, first.output
    assert "11건을 가져왔습니다" in first.output
    second = runner.invoke(args=["gwanak", "import-proposals", str(SAMPLE)])
    assert second.exit_code == 0, second.output
    assert "0건을 가져왔습니다" in second.output and "11건은 건너뜀" in second.output
    assert proposals() == 11
    ids = db.session.scalars(select(Proposal.legacy_id)).all()
    assert sorted(ids) == sorted(r["legacy_id"] for r in sample_rows())
    outcomes = db.session.execute(
        select(Proposal.outcome, func.count()).group_by(Proposal.outcome)
    ).all()
    assert dict(outcomes) == {
        "adopted": 4,
        "reference": 3,
        "rejected": 1,
        "other": 1,
        None: 2,
    }
    assert db.session.scalar(select(func.count(Answer.id))) == 9
    bike = db.session.scalar(select(Proposal).where(Proposal.legacy_id == "OLD-2019-0007"))
    assert (bike.gonggam_count, bike.state, bike.legacy_author) == (14, "answered", "김*희")
    assert bike.author.is_active is False  # the import's account never signs in
    # Marked as imported on the list and the page, with its answer and date.
    listing = client.get("/policy/proposals").get_data(as_text=True)
    assert "이전 포털" in listing
    page = client.get(f"/policy/proposals/{bike.id}").get_data(as_text=True)
    assert "이전 온라인 관악청에서 옮겨온 제안입니다 (원 번호 OLD-2019-0007)" in page
    assert "김*희" in page and "2019-07-15" in page and "보관대 12대를 추가" in page


def test_a_file_with_bad_rows_is_refused_whole_with_row_numbers(runner, tmp_path):
    rows = sample_rows()
    rows[1]["outcome"] = "보류"  # row 3
    rows[2]["legacy_id"] = rows[0]["legacy_id"]  # row 4 repeats row 2
    rows[3]["gonggam"] = "많음"  # row 5
    rows[4]["posted_at"] = "2020/10/12"  # row 6
    rows[5]["category"] = "주차"  # row 7
    rows[6]["outcome"] = ""  # row 8: an answer without an outcome
    rows[7]["answered_on"] = "2019-01-01"  # row 9: answered before it was posted
    path = tmp_path / "bad.csv"
    path.write_text(as_csv(rows), encoding="utf-8")
    result = runner.invoke(args=["gwanak", "import-proposals", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "가져오지 않았습니다" in out
    for expected in (
        "3행: 처리 결과 '보류'은(는) 채택 · 행정참고 · 불채택 · 기타 중 하나여야 합니다.",
        "4행: 원 번호 'OLD-2019-0007'이(가) 2행과 겹칩니다.",
        "5행: 공감 수 '많음'은(는) 0 이상의 정수여야 합니다.",
        "6행: 등록일 '2020/10/12'은(는)",
        "7행: 분야 '주차'은(는)",
        "8행: 답변이 있으면 처리 결과",
        "9행: 답변일이 등록일보다 앞섭니다.",
    ):
        assert expected in out, expected
    assert proposals() == 0


def test_a_bad_row_after_good_ones_writes_nothing_even_when_some_were_imported(app):
    rows = sample_rows()
    import_proposals(as_csv(rows[:3]))
    assert proposals() == 3
    rows[10]["title"] = ""
    with pytest.raises(OperationError) as refused:
        import_proposals(as_csv(rows))
    assert refused.value.message == "12행: 제목이(가) 비어 있습니다."
    assert proposals() == 3


def test_a_header_without_required_columns_is_refused(app):
    text = "legacy_id,title\nOLD-1,제목\n"
    with pytest.raises(OperationError) as refused:
        import_proposals(text)
    assert refused.value.message.startswith("1행(머리행): 없는 열: posted_at")
    assert proposals() == 0


def test_imported_proposals_are_found_by_the_lists_search(client):
    import_proposals(SAMPLE.read_text(encoding="utf-8-sig"))
    html = client.get("/policy/proposals?q=자전거").get_data(as_text=True)
    assert "봉천역 2번 출구 앞 자전거 보관대 늘려 주세요" in html
