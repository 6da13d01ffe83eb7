"""A dataset's rows as they leave the portal: every value written by its field's kind,
text masked (phones, RRNs, e-mail), residents' names masked, paths made absolute.
This is the one place, so a dataset cannot forget to mask."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from gwanak.core import clock
from gwanak.core.csv_export import csv_chunks
from gwanak.core.masking import mask_name, mask_personal_data
from gwanak.core.outward import Dataset, DatasetField, absolute_url

# Rows are read from the database this many at a time for a download.
BATCH = 500
LICENCE = {
    "name": "공공누리 제1유형 (출처표시)",
    "url": "https://www.kogl.or.kr/info/licenseType1.do",
    "attribution": "관악구 온라인 관악청",
}
KIND_LABELS = {
    "text": "글",
    "name": "이름(가림)",
    "int": "정수",
    "number": "수",
    "date": "날짜",
    "datetime": "일시(한국 시간)",
    "url": "주소",
}


def public_value(field: DatasetField, value: Any) -> Any:
    """The value as published (JSON types: str, int, float, None)."""
    if value is None or value == "":
        return None if field.kind != "text" else ""
    if field.kind == "name":
        return mask_name(str(value))
    if field.kind == "int":
        return int(value)
    if field.kind == "number":
        return float(value) if isinstance(value, Decimal | int | float) else value
    if field.kind == "datetime" and isinstance(value, datetime):
        return clock.to_kst(value).isoformat(timespec="seconds")
    if field.kind == "date" and isinstance(value, date):
        return value.isoformat()
    if field.kind == "url":
        return absolute_url(str(value))
    return mask_personal_data(str(value))


def public_record(dataset: Dataset, row: dict) -> dict:
    return {f.name: public_value(f, row.get(f.name)) for f in dataset.fields}


def _all_rows(dataset: Dataset) -> Iterator[dict]:
    offset = 0
    while True:
        batch = dataset.rows(offset, BATCH)
        yield from batch
        if len(batch) < BATCH:
            return
        offset += BATCH


def csv_download(dataset: Dataset) -> Iterator[str]:
    """The whole dataset as CSV (UTF-8 with BOM, formula cells neutralised), in chunks.
    The header row is the Korean labels; the API and JSON use the field names."""
    header = [f.label for f in dataset.fields]

    def rows():
        for row in _all_rows(dataset):
            record = public_record(dataset, row)
            yield [_csv_value(record[f.name]) for f in dataset.fields]

    return csv_chunks(header, rows())


def _csv_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def describe(dataset: Dataset) -> dict:
    return {
        "dataset": dataset.slug,
        "title": dataset.title,
        "description": dataset.description,
        "department": dataset.department,
        "licence": LICENCE,
        "fields": [
            {"name": f.name, "label": f.label, "description": f.description, "type": f.kind}
            for f in dataset.fields
        ],
    }


def json_download(dataset: Dataset) -> Iterator[str]:
    """The whole dataset as one JSON document: its description, then every item."""
    head = json.dumps(describe(dataset), ensure_ascii=False)
    yield head[:-1] + ', "items": ['
    for number, row in enumerate(_all_rows(dataset)):
        yield ("," if number else "") + json.dumps(public_record(dataset, row), ensure_ascii=False)
    yield "]}"
