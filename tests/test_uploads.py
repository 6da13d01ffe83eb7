"""Uploads are judged by their bytes, stored under generated names and served safely."""

from __future__ import annotations

import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from gwanak.core.extensions import db
from gwanak.core.features import UploadRule
from gwanak.core.uploads import (
    DOCUMENTS,
    IMAGES,
    UploadError,
    UploadRules,
    safe_filename,
    sniff,
    store_upload,
    upload_dir,
)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HWP = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "FileHeader".encode("utf-16-le")


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
HWPX = _zip({"mimetype": b"application/hwp+zip", "Contents/section0.xml": b"<s/>"})
RULES = UploadRules(DOCUMENTS | IMAGES, 1024 * 1024)


def _file(data: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPG, "jpg"),
        (HWP, "hwp"),
        (DOCX, "docx"),
        (HWPX, "hwpx"),
        (b"<html><script>alert(1)</script>", None),
        (b"MZ\x90\x00\x03", None),
        (_zip({"evil.exe": b"MZ"}), None),
        (b"", None),
    ],  # fmt: skip
)
def test_the_kind_comes_from_the_bytes(data, kind):
    assert sniff(data) == kind


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "안내문.pdf", "허용되지 않는 파일"),
        (b"MZ\x90\x00\x03\x00\x00\x00", "setup.pdf", "허용되지 않는 파일"),
        (PDF, "사진.png", "확장자와 실제 파일 형식이 다릅니다"),
        (PDF + b"x" * (1024 * 1024), "큰파일.pdf", "너무 큽니다"),
        (b"", "빈.pdf", "빈 파일"),
    ],
)
def test_lying_empty_and_oversized_files_are_refused(app, data, name, message):
    with pytest.raises(UploadError, match=message):
        store_upload(_file(data, name), RULES)
    assert list(upload_dir().iterdir()) == []


def test_path_tricks_in_names_never_reach_the_disk(app):
    upload = store_upload(_file(PDF, "../../etc/passwd;.pdf"), RULES)
    assert upload.original_name == "passwd.pdf"
    stored = list(upload_dir().iterdir())
    assert [p.name for p in stored] == [upload.stored_name]
    assert safe_filename('..\\..\\a"b<c>.pdf', "pdf") == "abc.pdf"
    assert safe_filename("", "png") == "file.png"


def _claim_as_public(app, *uploads) -> None:
    """Stand in for a feature whose rule makes these files public."""
    ids = {u.id for u in uploads}
    rule = UploadRule("test.files", lambda upload: True if upload.id in ids else None)
    app.extensions["gwanak"].upload_rules.append(rule)


def test_a_file_no_feature_claims_is_never_served(app, client):
    stray = store_upload(_file(PDF, "누구것.pdf"), RULES)
    db.session.commit()
    assert client.get(stray.url).status_code == 404
    _claim_as_public(app, stray)
    assert client.get(stray.url).status_code == 200


def test_files_are_served_with_a_safe_disposition(app, client):
    doc = store_upload(_file(PDF, "회의 자료.pdf"), RULES)
    img = store_upload(_file(PNG, "사진.png"), RULES)
    db.session.commit()
    _claim_as_public(app, doc, img)
    response = client.get(doc.url)
    assert response.status_code == 200 and response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert client.get(img.url).headers["Content-Disposition"].startswith("inline;")
    assert client.get("/uploads/" + "0" * 32 + "/x.pdf").status_code == 404
    assert client.get("/uploads/../../etc/passwd").status_code == 404


def _zip_bomb(entry: str, inflated: int, prefix: bytes = b"") -> bytes:
    """A small zip whose one entry inflates to `inflated` bytes (zeros after `prefix`)."""
    buffer = io.BytesIO()
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        with archive.open(entry, "w", force_zip64=True) as out:
            out.write(prefix)
            for _ in range(inflated // len(chunk)):
                out.write(chunk)
        archive.writestr("Contents/section0.xml", b"<s/>")
        archive.writestr("[Content_Types].xml", b"<x/>")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def gigabyte_bomb() -> bytes:
    return _zip_bomb("mimetype", 1024 * 1024 * 1024, prefix=b"application/hwp+zip")


def test_a_one_megabyte_hwpx_that_inflates_to_a_gigabyte_is_refused_without_inflating_it(
    app, gigabyte_bomb
):
    import tracemalloc

    assert len(gigabyte_bomb) < 1_200_000
    rules = UploadRules(DOCUMENTS, 12 * 1024 * 1024)
    tracemalloc.start()
    try:
        with pytest.raises(UploadError, match="압축을 풀면 지나치게 커지는 파일"):
            store_upload(_file(gigabyte_bomb, "제안서.hwpx"), rules)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024  # the upload itself and a little more, never the gigabyte
    assert list(upload_dir().iterdir()) == []


def test_a_bomb_with_a_lying_directory_is_still_read_only_a_few_bytes(app, monkeypatch):
    """Declared sizes can lie; the read of `mimetype` is bounded whatever they say."""
    bomb = _zip_bomb("mimetype", 64 * 1024 * 1024, prefix=b"application/hwp+zip")
    monkeypatch.setattr("gwanak.core.uploads._check_zip_directory", lambda archive: None)
    read: list[int] = []
    real_read = zipfile.ZipExtFile.read

    def counting_read(self, n=-1):
        data = real_read(self, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(zipfile.ZipExtFile, "read", counting_read)
    assert sniff(bomb) == "hwpx"
    assert sum(read) <= 64


@pytest.mark.parametrize(
    ("files", "why"),
    [
        ({f"Contents/s{n}.xml": b"" for n in range(5001)}, "too many entries"),
        (
            {"word/document.xml": b"\x00" * (8 * 1024 * 1024), "[Content_Types].xml": b"<x/>"},
            "compression ratio",
        ),
    ],  # fmt: skip
)
def test_archives_with_absurd_directories_are_refused_with_a_korean_message(app, files, why):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    with pytest.raises(UploadError, match="압축을 풀면"):
        store_upload(_file(buffer.getvalue(), "문서.docx"), UploadRules(DOCUMENTS, 12 << 20))


def test_an_ordinary_docx_with_real_text_still_goes_through(app):
    text = "".join(f"<w:p>관악구 주민 제안 {n}번째 문단입니다.</w:p>" for n in range(20000))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<x/>")
        archive.writestr("word/document.xml", text.encode())
    docx = buffer.getvalue()
    assert store_upload(_file(docx, "제안.docx"), UploadRules(DOCUMENTS, 12 << 20)).kind == "docx"


def test_direction_and_invisible_characters_are_stripped_from_download_names(app, client):
    tricky = "사진\u202egnp.exe\u200b\u2066\ufeff"
    assert safe_filename(tricky + ".pdf", "pdf") == "사진gnp.exe.pdf"
    upload = store_upload(_file(PDF, "보고서\u202efdp.exe.pdf"), RULES)
    db.session.commit()
    _claim_as_public(app, upload)
    disposition = client.get(upload.url).headers["Content-Disposition"]
    assert "%E2%80%AE" not in disposition.upper() and "\u202e" not in disposition
    assert upload.download_name == "보고서fdp.exe.pdf"
