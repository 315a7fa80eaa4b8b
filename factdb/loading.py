"""Reading the project's files into models, turning every failure into a Problem.

Each file is parsed once, by `json.loads` with a hook that notices duplicate keys
(which every JSON reader, pydantic's too, would otherwise resolve silently by
keeping the last), then validated with pydantic; a file at a time, so that a
large corpus never sits in memory whole. Whatever the bytes (a BOM, invalid
UTF-8, NaN, a million nested brackets, a named pipe), the result is a Problem
with a line and column, never an exception.
"""

from __future__ import annotations

import bisect
import codecs
import difflib
import errno
import hashlib
import json
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import from_json

from factdb.problems import FileProblems, Loc, Problem, field_name, relative
from schema.models import EntityFile, FactFile, Source, explain_pattern

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

    def source_text(self, source_id: str) -> Path:
        return self.sources / f"{source_id}.txt"  # a record's text_path, which its model checks

    def source_records(self) -> list[Path]:
        return sorted(self.sources.glob("*.json"))

    def source_texts(self) -> list[Path]:
        return sorted(self.sources.glob("*.txt"))

    def texts_without_record(self) -> list[Path]:
        """Archived texts that no source record names (a record names sources/<its id>.txt)."""
        return [path for path in self.source_texts() if not os.path.lexists(path.with_suffix(".json"))]

    def entity_files(self) -> list[Path]:
        return sorted(self.entities.glob("*.json"))

    def fact_files(self) -> list[Path]:
        return sorted(self.facts.glob("*.json"))

    def inputs(self) -> list[Path]:
        """Every file a build reads, in a fixed order (what its inputs hash covers)."""
        return sorted([*self.source_records(), *self.source_texts(), *self.entity_files(), *self.fact_files()])


@dataclass
class Loaded(Generic[ModelT]):
    """A parsed file (None when it could not be parsed) and the problems found so far.

    For a file holding a list (facts, entities), `items` are the valid entries with
    their index in the file: one bad fact does not hide the others. `rejected` are the
    entries their model refused, as parsed, with the locations it refused (what else
    can be checked of them is checked, so that no error waits for the next run).
    """

    model: ModelT | None
    report: FileProblems
    items: list[tuple[int, Any]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


class Rejected(NamedTuple):
    index: int
    entry: Any  # as parsed from JSON
    invalid: set[Loc]  # where the model refused it, from the file's top (facts, 3, date)

    def text_field(self, collection: str, name: str) -> str | None:
        """The entry's field `name` if it is text its model did not refuse (what can still be
        checked of a rejected entry: its id, its references), else None."""
        value = self.entry.get(name) if isinstance(self.entry, dict) else None
        return value if isinstance(value, str) and (collection, self.index, name) not in self.invalid else None


@dataclass(frozen=True)
class LoadedSource:
    """One source record file as read: the id its file name gives, its problems, the record when
    it can be used (else None), and its archived text ("" when it cannot be read)."""

    id: str
    report: FileProblems
    record: Source | None = None
    text: str = ""


def load_model(path: Path, root: Path, model: type[ModelT]) -> Loaded[ModelT]:
    """Parse and validate one JSON file against a model; never raises for bad data."""
    name = relative(path, root)
    try:
        data = read_project_file(path, root)
    except UnreadableFile as error:
        report = FileProblems(name, "")
        report.add_at(1, 1, error.strerror)
        return Loaded(None, report)
    text = _decode(data)
    if isinstance(text, Problem):
        report = FileProblems(name, "")
        report.add_at(text.line, text.column, text.message)
        return Loaded(None, report)
    report = FileProblems(name, text)
    if not text or text.isspace():
        report.add_at(1, 1, f"the file is empty: it must hold a JSON object{_SHAPES.get(model, '')}")
        return Loaded(None, report)
    document, findings = _parse(text, report)
    if any(finding.fatal for finding in findings):
        return Loaded(None, report)
    if not isinstance(document, dict):
        report.add_at(1, 1, f"the file must hold a JSON object{_SHAPES.get(model, '')}, not {_json_kind(document)}")
        return Loaded(None, report)
    try:
        parsed = _adapter(model).validate_python(document)
    except ValidationError as error:
        details = error.errors(include_url=False)
        if any(_deeper_than(detail.get("input"), MAX_DEPTH - len(detail["loc"])) for detail in details):
            _report_findings(text, [finding for finding in _scan(text) if finding.depth], report)
            return Loaded(None, report)
        entries = _validate_entries(document, model, report)
        if entries is None:
            for detail in details:
                _report_validation_error(report, detail, model, ())
            return Loaded(None, report)
        items, rejected = entries
        return Loaded(None, report, _without_duplicates(items, findings), _without_duplicates(rejected, findings))
    collection = getattr(model, "collection", None)
    items = list(enumerate(getattr(parsed, collection))) if collection else []
    if findings:  # duplicate keys: the file is not used, but the entries without one are
        return Loaded(None, report, _without_duplicates(items, findings))
    return Loaded(parsed, report, items)


# What each kind of file holds at its top level, for messages about a file of the wrong shape.
_SHAPES: dict[type, str] = {
    FactFile: ' like {"facts": [...]}',
    EntityFile: ' like {"entities": [...]}',
    Source: " (a source record)",
}


def _json_kind(value: Any) -> str:
    kinds = {list: "a list", str: "a string", bool: "true or false", int: "a number", float: "a number"}
    return "null" if value is None else kinds.get(type(value), type(value).__name__)


IndexedT = TypeVar("IndexedT", bound=tuple)  # an entry of a collection: its index in the file first


def _without_duplicates(entries: list[IndexedT], findings: list[_Finding]) -> list[IndexedT]:
    """The entries of a collection without those holding a duplicate key (none, if the file's own keys repeat)."""
    spoilt = {finding.loc[1] for finding in findings if len(finding.loc) > 2}
    if any(len(finding.loc) <= 2 for finding in findings):
        return []
    return [entry for entry in entries if entry[0] not in spoilt]


def read_json(path: Path, root: Path) -> tuple[Any, FileProblems]:
    """A file's JSON exactly as written, for tools that rewrite files (`fmt`): (document, report).

    The document is None when the file cannot be read, is not UTF-8 or not strict
    JSON, or repeats a key: rewriting it then would silently drop a value.
    """
    report = FileProblems(relative(path, root), "")
    try:
        data = read_project_file(path, root)
    except UnreadableFile as error:
        report.add_at(1, 1, error.strerror)
        return None, report
    text = _decode(data)
    if isinstance(text, Problem):
        report.add_at(text.line, text.column, text.message)
        return None, report
    report.text = text
    document, findings = _parse(text, report)
    return (None if report.problems or findings else document), report


class UnreadableFile(OSError):
    """A project file refused instead of read (OSError(errno, reason, name)): a link, a pipe, a
    device, a folder, too large, missing. The reason names nothing the file points to or holds,
    so that it can be printed: a link's target may be a secret (/proc/self/environ)."""


_LINKED = (
    "a symbolic link (or in a linked folder): commit the file itself; links are not followed, "
    "so that nothing but the project's own files is read or published"
)
_NOT_REGULAR = "not a regular file (a folder, pipe or device): only plain files belong here"


def read_project_file(path: Path, root: Path) -> bytes:
    """The bytes of one of the project's files under root: the only way they are read.

    Raises UnreadableFile unless the file is a regular file within MAX_FILE_BYTES, reached
    from root without a symbolic link. Links are refused even when they point inside root:
    not everything there is data (.git/config, where CI checkouts keep their token; untracked
    files; the database), so following them would publish those just as well; and git checks
    links out as plain text where the system has none, so a linked file would not even build
    the same everywhere. The type is known before anything is opened (a device or pipe is
    never opened); the file is opened without following a link and without blocking, and the
    open file is checked again (a path swapped for a pipe meanwhile is refused, not waited
    on); the size is checked before reading, and a file growing past the limit while being
    read is refused too. `path` must be under root (as Layout's paths are).
    """
    name = path.relative_to(root).as_posix()
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode) or os.path.realpath(path) != os.path.join(os.path.realpath(root), name):
            raise UnreadableFile(errno.ELOOP, _LINKED, name)  # the file is a link, or a folder on its way
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(errno.EINVAL, _NOT_REGULAR, name)
        _check_size(info.st_size, name)
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
        with os.fdopen(descriptor, "rb") as file:
            opened = os.fstat(descriptor)
            if not stat.S_ISREG(opened.st_mode):
                raise UnreadableFile(errno.EINVAL, _NOT_REGULAR, name)
            data = file.read(MAX_FILE_BYTES + 1)
    except UnreadableFile:
        raise
    except OSError as error:  # missing, not permitted, or swapped for a link since (ELOOP)
        raise UnreadableFile(error.errno, f"cannot read the file: {error.strerror}", name) from None
    _check_size(len(data), name)
    return data


def _check_size(size: int, name: str) -> None:
    if size > MAX_FILE_BYTES:
        message = f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it into smaller files"
        raise UnreadableFile(errno.EFBIG, message, name)


def _decode(data: bytes) -> str | Problem:
    """The text of a UTF-8 file, or where and why it is not one (as a Problem without a path)."""
    if data.startswith(codecs.BOM_UTF8):
        return Problem("", 1, 1, "", "the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Problem("", 1, 1, "", "not valid UTF-8: the file is UTF-16 (it starts with a UTF-16 byte-order mark)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = data.rfind(b"\n", 0, error.start) + 1
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[line_start : error.start].decode("utf-8", "replace")) + 1
        bad = data[error.start : error.end].hex(" ")
        return Problem("", line, column, "", f"not valid UTF-8 (byte {error.start}: {bad}): save the file as UTF-8")


class _NotStrictJson(Exception):
    """NaN, Infinity or -Infinity: Python's json module reads them, JSON has no such values."""


def _reject_constant(token: str) -> None:
    raise _NotStrictJson(token)


def _parse(text: str, report: FileProblems) -> tuple[Any, list[_Finding]]:
    """Parse strict JSON in one pass; report duplicate keys, NaN, lone surrogates, deep nesting.

    Python's json module (like pydantic's parser) keeps the last of two equal keys
    silently; the hook notices that an object lost a key, at the cost of one call
    per object (a few percent of the load). Only then, or when the text is not
    strict JSON, is the file scanned token by token, slowly, to say where. Returns
    the document (None if unparsable) and the findings; any fatal one means the
    document must not be used.
    """
    lost_keys = False

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal lost_keys
        value = dict(pairs)
        if len(value) != len(pairs):
            lost_keys = True
        return value

    try:
        document = json.loads(text, object_pairs_hook=unique_keys, parse_constant=_reject_constant)
    except (_NotStrictJson, RecursionError):
        findings = [finding for finding in _scan(text) if finding.fatal]
        _report_findings(text, findings, report)
        return None, findings or [_Finding(0, (), "", fatal=True)]
    except ValueError as error:
        _report_malformed(text, error, report)
        return None, [_Finding(0, (), "", fatal=True)]
    if not lost_keys and not _has_lone_surrogate(document, text):
        return document, []
    findings = _scan(text)
    _report_findings(text, findings, report)
    return document, findings


def _has_lone_surrogate(document: Any, text: str) -> bool:
    if "\\ud" not in text and "\\uD" not in text:
        return False
    try:
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _report_malformed(text: str, error: ValueError, report: FileProblems) -> None:
    """Say what is wrong with JSON that does not parse, in pydantic's (jiter's) words."""
    try:
        from_json(text)
    except ValueError as jiter_error:
        reason = str(jiter_error)
    else:  # only Python's parser refused it
        reason = str(error)
    match = _JSON_POSITION.search(reason)
    if match:
        line, column = int(match[1]), max(int(match[2]), 1)
    elif isinstance(error, json.JSONDecodeError):
        line, column, reason = error.lineno, error.colno, error.msg
    else:
        line, column = 1, 1
    report.add_at(line, column, f"malformed JSON: {_JSON_POSITION.sub('', reason).strip()}")


def _deeper_than(value: Any, limit: int) -> bool:
    """Whether a parsed value nests more than limit lists and objects deep (iteratively)."""
    stack = [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth >= limit:
                return True
            stack.extend((child, depth + 1) for child in (node.values() if isinstance(node, dict) else node))
    return False


# --- The slow scan: where exactly a file breaks strict JSON --------------------

MAX_DEPTH = 20  # the project's files nest 5 levels deep (file, list, fact, list, citation)
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]|[^\s"\[\]{}:,]+|"')
_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})


@dataclass(frozen=True)
class _Finding:
    offset: int
    loc: Loc
    message: str
    fatal: bool = True
    depth: bool = False


@dataclass
class _Container:
    loc: Loc
    is_object: bool
    keys: dict[str, int] = field(default_factory=dict)
    key: str = ""
    index: int = 0
    expect_key: bool = True


class _Lines:
    """Line and column (1-based, in characters) of offsets into a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _scan(text: str) -> list[_Finding]:
    """Every duplicate key, non-JSON constant and lone surrogate, or nesting deeper than MAX_DEPTH.

    A tokenizer with a stack of open containers: iterative (a file nested a
    million levels deep is reported, not a RecursionError) and tolerant of text
    that is not JSON at all.
    """
    findings: list[_Finding] = []
    stack: list[_Container] = []
    lines = _Lines(text)

    def here() -> Loc:
        if not stack:
            return ()
        top = stack[-1]
        return (*top.loc, top.key) if top.is_object else (*top.loc, top.index)

    for match in _TOKEN.finditer(text):
        token, start = match.group(), match.start()
        top = stack[-1] if stack else None
        if token in ("[", "{"):
            if len(stack) >= MAX_DEPTH:
                message = f"nested more than {MAX_DEPTH} levels deep: the project's files need at most 5"
                return [*findings, _Finding(start, here(), message, depth=True)]
            stack.append(_Container(here(), token == "{"))
        elif token in ("]", "}"):
            if stack:
                stack.pop()
        elif token == "," and top is not None:
            top.expect_key = top.is_object
            top.index += not top.is_object
        elif token == ":" and top is not None:
            top.expect_key = False
        elif token[0] == '"':
            value = _string_value(token)
            if "\\u" in token:
                findings += _lone_surrogates(value, start, here())
            if top is not None and top.is_object and top.expect_key:
                first = top.keys.setdefault(value, start)
                if first != start:
                    (line, column), (line_again, column_again) = lines.position(first), lines.position(start)
                    message = (
                        f"duplicate key {_short(value)} at line {line} column {column} and line {line_again} column "
                        f"{column_again}: JSON readers silently keep only the last value; keep one"
                    )
                    findings.append(_Finding(start, (*top.loc, value), message, fatal=False))
                top.key = value
        elif token in _CONSTANTS:
            message = f"{token} is not valid JSON (JSON numbers are finite): write a number"
            findings.append(_Finding(start, here(), message))
    return findings


def _string_value(token: str) -> str:
    try:
        return json.loads(token)
    except ValueError:
        return token.strip('"')


def _lone_surrogates(value: str, start: int, loc: Loc) -> list[_Finding]:
    """json.loads joins the halves of a surrogate pair (an escaped emoji); what remains is alone."""
    return [
        _Finding(start, loc, f"\\u{ord(char):04x} is half of a UTF-16 surrogate pair, not a character: remove it")
        for char in value
        if "\ud800" <= char <= "\udfff"
    ]


def _report_findings(text: str, findings: list[_Finding], report: FileProblems) -> None:
    lines = _Lines(text)
    for finding in findings:
        line, column = lines.position(finding.offset)
        report.add_at(line, column, finding.message, field_name(finding.loc))


def _validate_entries(
    document: dict[str, Any], model: type[BaseModel], report: FileProblems
) -> tuple[list[tuple[int, Any]], list[Rejected]] | None:
    """Validate a collection file entry by entry, so every entry's errors are found:
    the valid entries with their index, and the rejected ones.

    Returns None when the file is not a well-formed collection at all (then the
    whole-file errors are the ones to report).
    """
    collection = getattr(model, "collection", None)
    if collection is None or not isinstance(document.get(collection), list):
        return None
    item_model = model_inside(model.model_fields[collection].annotation)
    assert item_model is not None  # a collection field is a list of models by construction
    envelope = {**document, collection: []}
    try:
        model.model_validate(envelope)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            _report_validation_error(report, detail, model, ())
    items, rejected = [], []
    for index, entry in enumerate(document[collection]):
        try:
            items.append((index, item_model.model_validate(entry)))
        except ValidationError as error:
            details = error.errors(include_url=False)
            for detail in details:
                _report_validation_error(report, detail, item_model, (collection, index))
            invalid = {(collection, index, *_without_tagged_union_steps(detail["loc"])) for detail in details}
            rejected.append(Rejected(index, entry, invalid))
    return items, rejected


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
    report.add(_without_tagged_union_steps(loc), friendly_message(detail, model))


def _without_tagged_union_steps(loc: Loc) -> Loc:
    # Pydantic inserts the name of a union member ("str", "constrained-str") into
    # the location; a reader of the file only knows keys and indexes.
    return tuple(part for part in loc if isinstance(part, int) or not _is_type_step(part))


def _is_type_step(part: str) -> bool:
    return part in {"str", "constrained-str", "function-after[_check_edtf(), str]", "none"} or part.startswith(
        "function-"
    )


def friendly_message(detail: Any, model: type[BaseModel]) -> str:
    """Say what was expected, in words, instead of pydantic's internal phrasing."""
    kind, ctx, value = detail["type"], detail.get("ctx", {}), detail.get("input")
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return _unknown_field_message(detail["loc"], model)
    if kind == "string_pattern_mismatch":
        return explain_pattern(ctx["pattern"], value)
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "literal_error":
        return f"{value!r} is not allowed: expected {ctx['expected']}"
    if kind in {"string_too_long", "too_short", "string_too_short"}:
        return detail["msg"].replace("String", "text").replace("List", "list").lower()
    if kind == "string_type" and value is None:
        return "must not be null"
    if kind == "bool_type":
        return f"expected true or false, not {_short(value)}"
    if kind == "float_type":
        return f"expected a number, not {_short(value)}"
    return f"{detail['msg']} (got {_short(value)})"


def _unknown_field_message(loc: tuple, model: type[BaseModel]) -> str:
    name = str(loc[-1])
    allowed = _allowed_fields(loc[:-1], model)
    guess = difflib.get_close_matches(name, allowed, n=1) if len(name) < 100 else []
    hint = f"; did you mean {guess[0]!r}?" if guess else f"; allowed fields: {', '.join(sorted(allowed))}"
    return f"unknown field {_short(name)}{hint}"


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
    if isinstance(value, str) and len(value) > 60:
        value = value[:60]  # not the repr of ten megabytes, to keep 57 characters of it
    try:
        text = repr(value)
    except (ValueError, RecursionError):
        text = f"a {type(value).__name__}"
    return text if len(text) <= 60 else text[:57] + "..."


def load_source(path: Path, root: Path) -> LoadedSource:
    """A source record with its archived text, checked against its hash. A record that cannot
    be used comes with its text all the same, where it can be read, so that the quotes of the
    facts citing it are still checked in this run."""
    loaded = load_model(path, root, Source)
    record = loaded.model
    if record is not None and record.id != path.stem:
        loaded.report.add(("id",), f"id {record.id!r} must match the file name {path.stem!r}")
        record = None
    if record is None:
        text_if_readable = _text_if_readable(Layout(root).source_text(path.stem), root)
        return LoadedSource(path.stem, loaded.report, None, text_if_readable)
    text = _archived_text(root, record, loaded.report)
    return LoadedSource(path.stem, loaded.report, record if text is not None else None, text or "")


def _text_if_readable(path: Path, root: Path) -> str:
    """A text file's UTF-8 text, or "" (the record's own errors are what is reported)."""
    try:
        return read_project_file(path, root).decode("utf-8")
    except (UnreadableFile, UnicodeDecodeError):
        return ""


def _archived_text(root: Path, record: Source, report: FileProblems) -> str | None:
    """The archived text, or None if it cannot be read. A text that no longer matches the
    record's hash (edited since) is reported and still returned: the build fails on the
    record, and meanwhile the facts' quotes are checked against the text as it now is."""
    try:
        data = read_project_file(root / record.text_path, root)
    except UnreadableFile as error:
        reason = "is missing" if error.errno == errno.ENOENT else f"cannot be read: {error.strerror}"
        report.add(("text_path",), f"archived text {record.text_path} {reason}")
        return None
    digest = hashlib.sha256(data).hexdigest()
    if digest != record.sha256:
        report.add(("sha256",), f"does not match {record.text_path}: its SHA-256 is {digest}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        report.add(("text_path",), f"{record.text_path} is not valid UTF-8")
        return None


def iter_entity_files(root: Path) -> Iterator[Loaded[EntityFile]]:
    for path in Layout(root).entity_files():
        yield load_model(path, root, EntityFile)


def iter_fact_files(root: Path) -> Iterator[tuple[Path, Loaded[FactFile]]]:
    for path in Layout(root).fact_files():
        yield path, load_model(path, root, FactFile)
