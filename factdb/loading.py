"""Reading the project's files into models, turning every failure into a Problem.

Files are validated straight from their bytes with pydantic's `validate_json`
(about three times faster than `json.loads` then `model_validate`), and one
file at a time, so that a large corpus never sits in memory whole.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from factdb.problems import FileProblems, Loc, relative
from schema.models import PATTERN_HINTS, EntityFile, FactFile, Source

MAX_FILE_BYTES = 20 * 1024 * 1024  # checked before parsing: a huge file is refused, not read
ModelT = TypeVar("ModelT", bound=BaseModel)
_JSON_POSITION = re.compile(r"at line (\d+) column (\d+)")


@dataclass(frozen=True)
class Layout:
    """Where a project's files live under its root (the repository, or --root DIR)."""

    root: Path

    @property
    def sources(self) -> Path:
        return self.root / "sources"

    @property
    def facts(self) -> Path:
        return self.root / "facts"

    @property
    def entities(self) -> Path:
        return self.root / "facts" / "entities"

    def source_records(self) -> list[Path]:
        return sorted(self.sources.glob("*.json"))

    def entity_files(self) -> list[Path]:
        return sorted(self.entities.glob("*.json"))

    def fact_files(self) -> list[Path]:
        return sorted(self.facts.glob("*.json"))


@dataclass
class Loaded(Generic[ModelT]):
    """A parsed file (None when it could not be parsed) and the problems found so far.

    For a file holding a list (facts, entities), `items` are the valid entries with
    their index in the file: one bad fact does not hide the others.
    """

    model: ModelT | None
    report: FileProblems
    items: list[tuple[int, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ArchivedSource:
    record: Source
    text: str
    report: FileProblems  # where problems found later in the record are reported


def load_model(path: Path, root: Path, model: type[ModelT]) -> Loaded[ModelT]:
    """Parse and validate one JSON file against a model; never raises for bad data."""
    name = relative(path, root)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report = FileProblems(name, "")
            report.add_at(1, 1, f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it into smaller files")
            return Loaded(None, report)
        data = path.read_bytes()
    except OSError as error:
        report = FileProblems(name, "")
        report.add_at(1, 1, f"cannot read the file: {error.strerror}")
        return Loaded(None, report)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        report = FileProblems(name, "")
        line = data[: error.start].count(b"\n") + 1
        report.add_at(line, 1, f"not valid UTF-8 (byte {error.start}): save the file as UTF-8")
        return Loaded(None, report)
    report = FileProblems(name, text)
    try:
        parsed = _adapter(model).validate_json(data)
    except ValidationError as error:
        items = _valid_items(text, model, report)
        if items is None:
            for detail in error.errors(include_url=False):
                _report_validation_error(report, detail, model, ())
        return Loaded(None, report, items or [])
    collection = getattr(model, "collection", None)
    return Loaded(parsed, report, list(enumerate(getattr(parsed, collection))) if collection else [])


def _valid_items(text: str, model: type[BaseModel], report: FileProblems) -> list[tuple[int, Any]] | None:
    """Validate a collection file entry by entry, so every entry's errors are found.

    Returns None when the file is not a well-formed collection at all (then the
    whole-file errors are the ones to report).
    """
    collection = getattr(model, "collection", None)
    try:
        document = json.loads(text)
    except ValueError:
        return None
    if collection is None or not isinstance(document, dict) or not isinstance(document.get(collection), list):
        return None
    item_model = model_inside(model.model_fields[collection].annotation)
    assert item_model is not None  # a collection field is a list of models by construction
    envelope = {**document, collection: []}
    try:
        model.model_validate(envelope)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            _report_validation_error(report, detail, model, ())
    items = []
    for index, entry in enumerate(document[collection]):
        try:
            items.append((index, item_model.model_validate(entry)))
        except ValidationError as error:
            for detail in error.errors(include_url=False):
                _report_validation_error(report, detail, item_model, (collection, index))
    return items


def _adapter(model: type[ModelT]) -> TypeAdapter[ModelT]:
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        adapter = _ADAPTERS[model] = TypeAdapter(model)
    return adapter


_ADAPTERS: dict[type, TypeAdapter[Any]] = {}


def _report_validation_error(report: FileProblems, detail: Any, model: type[BaseModel], prefix: Loc) -> None:
    kind, loc = detail["type"], (*prefix, *detail["loc"])
    if kind == "json_invalid":
        reason = detail.get("ctx", {}).get("error", detail["msg"])
        match = _JSON_POSITION.search(reason)
        line, column = (int(match[1]), max(int(match[2]), 1)) if match else (1, 1)
        report.add_at(line, column, f"malformed JSON: {_JSON_POSITION.sub('', reason).strip()}")
        return
    report.add(_without_tagged_union_steps(loc), _friendly_message(detail, model))


def _without_tagged_union_steps(loc: Loc) -> Loc:
    # Pydantic inserts the name of a union member ("str", "constrained-str") into
    # the location; a reader of the file only knows keys and indexes.
    return tuple(part for part in loc if isinstance(part, int) or not _is_type_step(part))


def _is_type_step(part: str) -> bool:
    return part in {"str", "constrained-str", "function-after[_check_edtf(), str]", "none"} or part.startswith(
        "function-"
    )


def _friendly_message(detail: Any, model: type[BaseModel]) -> str:
    """Say what was expected, in words, instead of pydantic's internal phrasing."""
    kind, ctx, value = detail["type"], detail.get("ctx", {}), detail.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return _unknown_field_message(detail["loc"], model)
    if kind == "string_pattern_mismatch":
        expected = PATTERN_HINTS.get(ctx["pattern"], f"a value matching {ctx['pattern']}")
        return f"{value!r} is not valid: expected {expected}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "literal_error":
        return f"{value!r} is not allowed: expected {ctx['expected']}"
    if kind in {"string_too_long", "too_short", "string_too_short"}:
        return detail["msg"].replace("String", "text").replace("List", "list").lower()
    if kind == "string_type" and value is None:
        return "must not be null"
    return f"{detail['msg']} (got {_short(value)})"


def _unknown_field_message(loc: tuple, model: type[BaseModel]) -> str:
    name = str(loc[-1])
    allowed = _allowed_fields(loc[:-1], model)
    guess = difflib.get_close_matches(name, allowed, n=1)
    hint = f"; did you mean {guess[0]!r}?" if guess else f"; allowed fields: {', '.join(sorted(allowed))}"
    return f"unknown field {name!r}{hint}"


def _allowed_fields(loc: tuple, model: type[BaseModel]) -> list[str]:
    """The field names allowed at loc, found by walking the model's fields."""
    current: Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        info = current.model_fields.get(part)
        current = model_inside(info.annotation) if info else None
    if current is None:
        return []
    return [info.alias or name for name, info in current.model_fields.items()]


def model_inside(annotation: Any) -> type[BaseModel] | None:
    """The model class within an annotation such as list[Fact] or Quantity | None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = model_inside(argument)
        if found is not None:
            return found
    return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def load_sources(root: Path) -> tuple[dict[str, ArchivedSource], list[FileProblems]]:
    """Every source record with its archived text, checked against its hash."""
    layout, sources, reports = Layout(root), {}, []
    for path in layout.source_records():
        loaded = load_model(path, root, Source)
        reports.append(loaded.report)
        record = loaded.model
        if record is None:
            continue
        if record.id != path.stem:
            loaded.report.add(("id",), f"id {record.id!r} must match the file name {path.stem!r}")
            continue
        text_file = root / record.text_path
        try:
            data = text_file.read_bytes()
        except OSError:
            loaded.report.add(("text_path",), f"archived text {record.text_path} is missing")
            continue
        digest = hashlib.sha256(data).hexdigest()
        if digest != record.sha256:
            loaded.report.add(("sha256",), f"does not match {record.text_path}: its SHA-256 is {digest}")
            continue
        try:
            sources[record.id] = ArchivedSource(record, data.decode("utf-8"), loaded.report)
        except UnicodeDecodeError:
            loaded.report.add(("text_path",), f"{record.text_path} is not valid UTF-8")
    return sources, reports


def iter_entity_files(root: Path) -> Iterator[Loaded[EntityFile]]:
    for path in Layout(root).entity_files():
        yield load_model(path, root, EntityFile)


def iter_fact_files(root: Path) -> Iterator[tuple[Path, Loaded[FactFile]]]:
    for path in Layout(root).fact_files():
        yield path, load_model(path, root, FactFile)
