"""The models are the single source of truth: generated files match them, dates parse right."""

from __future__ import annotations

import json

import edtf
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLE_SOURCE, FROZEN, PROJECT
from factdb import publishing
from schema.dates import EdtfError, date_bounds
from schema.vocabulary import PREDICATES


def test_committed_generated_files_match_the_models() -> None:
    for path, content in publishing.generated_files().items():
        assert path.read_text(encoding="utf-8") == content, f"{path.name} is stale: run `python build.py generate`"


def test_fact_files_validate_against_the_exported_json_schema() -> None:
    schema = json.loads((PROJECT / "schema" / "facts.schema.json").read_text())
    document = json.loads((FROZEN / "facts" / f"{EXAMPLE_SOURCE}.json").read_text())
    jsonschema.validate(document, schema)
    assert set(schema["$defs"]["Fact"]["properties"]["predicate"]["enum"]) == set(PREDICATES)
    document["facts"][0]["subjekt"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


@pytest.mark.live_data
@pytest.mark.parametrize(
    ("schema_name", "files"),
    [("facts", "facts/*.json"), ("entities", "facts/entities/*.json"), ("source", "sources/*.json")],
)
def test_every_live_data_file_validates_against_its_exported_json_schema(schema_name: str, files: str) -> None:
    """What an editor shows a contributor agrees with the data: the schema accepts every file."""
    schema = json.loads((PROJECT / "schema" / f"{schema_name}.schema.json").read_text())
    paths = sorted(PROJECT.glob(files))
    assert paths
    for path in paths:
        jsonschema.validate(json.loads(path.read_text(encoding="utf-8")), schema)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2015", "2015-01-01", "2015-12-31"),
        ("2016-02", "2016-02-01", "2016-02-29"),
        ("2015-09-13", "2015-09-13", "2015-09-13"),
        ("2018-09-05/2018-09-08", "2018-09-05", "2018-09-08"),
        ("2018-01-01/2018-09-05", "2018-01-01", "2018-09-05"),
        ("2018?", "2018-01-01", "2018-12-31"),
        ("~2015-09", "2015-09-01", "2015-09-30"),
        ("2018-08/..", "2018-08-01", None),
        ("201X", "2010-01-01", "2019-12-31"),
    ],
)
def test_edtf_bounds(text: str, start: str, end: str | None) -> None:
    assert date_bounds(text) == (start, end)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2015-02-30", "'2015-02-30' is not a calendar day: February 2015 has 28 days"),
        ("2019/2018", "'2019/2018' ends (2018-12-31) before it starts (2019-01-01)"),
        (
            "13 May 2015",
            "'13 May 2015' is not a valid EDTF date (EDTF writes dates as YYYY-MM-DD, YYYY-MM or YYYY: 2015-05-13)",
        ),
        # One-digit months and days: the library says only "invalid input"; the mended form is shown.
        ("2018-9-5", "'2018-9-5' is not a valid EDTF date (months and days take two digits: 2018-09-05)"),
        ("2018-9/2018-10", "'2018-9/2018-10' is not a valid EDTF date (months and days take two digits: 2018-09/"),
        # Other notations of a day: the EDTF it stands for is shown; both readings when the order is unknown.
        (
            "31/05/2018",
            "'31/05/2018' is not a valid EDTF date (EDTF writes dates as YYYY-MM-DD, YYYY-MM or YYYY: 2018-05-31)",
        ),
        (
            "2018/05/31",
            "'2018/05/31' is not a valid EDTF date (EDTF writes dates as YYYY-MM-DD, YYYY-MM or YYYY: 2018-05-31)",
        ),
        ("05/2018", "'05/2018' is not a valid EDTF date (EDTF writes dates as YYYY-MM-DD, YYYY-MM or YYYY: 2018-05)"),
        (
            "May 31, 2018",
            "'May 31, 2018' is not a valid EDTF date (EDTF writes dates as YYYY-MM-DD, YYYY-MM or YYYY: 2018-05-31)",
        ),
        (
            "05.06.2018",
            "'05.06.2018' is not a valid EDTF date (EDTF writes dates as YYYY-MM-DD, YYYY-MM or YYYY: "
            "2018-06-05 if the day comes first, 2018-05-06 if the month comes first)",
        ),
        # No reading is a calendar day: the library's own words, no guess.
        ("31/02/2018", "'31/02/2018' is not a valid EDTF date (Error at position 2"),
    ],
)
def test_invalid_edtf_dates_say_why(text: str, message: str) -> None:
    with pytest.raises(EdtfError) as error:
        date_bounds(text)
    assert str(error.value).startswith(message)


@pytest.mark.parametrize("text", ["2015", "2016-02", "2015-09-13", "2018-09-05/2018-09-08", "1994/2019-06"])
def test_fast_path_agrees_with_the_edtf_library(text: str) -> None:
    parsed = edtf.parse_edtf(text)
    lower, upper = parsed.lower_strict(), parsed.upper_strict()
    assert date_bounds(text) == (
        f"{lower.tm_year:04d}-{lower.tm_mon:02d}-{lower.tm_mday:02d}",
        f"{upper.tm_year:04d}-{upper.tm_mon:02d}-{upper.tm_mday:02d}",
    )


def _library_bounds(text: str) -> tuple[str | None, str | None]:
    parsed = edtf.parse_edtf(text)

    def day(bound) -> str | None:
        value = bound()
        return None if not hasattr(value, "tm_year") else f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"

    return day(parsed.lower_strict), day(parsed.upper_strict)


@st.composite
def fast_path_dates(draw: st.DrawFn) -> str:
    """Valid dates of the forms the fast path owns: plain, one qualifier, intervals (open too)."""
    year = draw(st.integers(1000, 2999))
    precision = draw(st.sampled_from(["year", "month", "day"]))
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    text = f"{year}" if precision == "year" else f"{year}-{month:02d}"
    text += f"-{day:02d}" if precision == "day" else ""
    qualifier = draw(st.sampled_from(["", "?", "~", "%"]))
    return draw(st.sampled_from([text, text + qualifier, qualifier + text]))


@settings(max_examples=150, derandomize=True, deadline=None)
@given(fast_path_dates(), fast_path_dates(), st.sampled_from(["single", "interval", "open-start", "open-end"]))
def test_fast_path_agrees_with_the_edtf_library_on_generated_dates(first: str, second: str, shape: str) -> None:
    text = {"single": first, "interval": f"{first}/{second}", "open-start": f"../{second}", "open-end": f"{first}/.."}[
        shape
    ]
    try:
        expected = _library_bounds(text)
    except Exception:  # the package refuses some forms (a prefix qualifier beside an open end)
        with pytest.raises(EdtfError):
            date_bounds(text)
        return
    if expected[0] and expected[1] and expected[0] > expected[1]:
        with pytest.raises(EdtfError):
            date_bounds(text)
    else:
        assert date_bounds(text) == expected
