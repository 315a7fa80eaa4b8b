"""One canonical layout for every data file, so that diffs stay small and reviewable.

Keys follow the order of the model's fields (nested models too), unknown keys
come last in their original order, lists of facts and entities are sorted by
id, indentation is two spaces, text is UTF-8 and the file ends in a newline.
Nothing is added or dropped: formatting never changes what a file says.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from factdb.loading import Layout, model_inside, read_json
from schema.models import EntityFile, FactFile, Source


def _ordered(value: Any, model: type[BaseModel] | None) -> Any:
    if isinstance(value, list):
        return [_ordered(item, model) for item in value]
    if not isinstance(value, dict) or model is None:
        return value
    fields = {(info.alias or name): info for name, info in model.model_fields.items()}
    ordered = {key: _ordered(value[key], model_inside(fields[key].annotation)) for key in fields if key in value}
    ordered.update({key: item for key, item in value.items() if key not in fields})
    return ordered


def canonical(document: Any, model: type[BaseModel]) -> str:
    """The canonical text of a parsed JSON document of the given model."""
    collection = getattr(model, "collection", None)
    if collection and isinstance(document, dict) and isinstance(document.get(collection), list):
        items = document[collection]
        if all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in items):
            document = {**document, collection: sorted(items, key=lambda item: item["id"])}
    return json.dumps(_ordered(document, model), indent=2, ensure_ascii=False) + "\n"


def data_files(root: Path) -> list[tuple[Path, type[BaseModel]]]:
    """Every data file under root with the model it holds."""
    layout = Layout(root)
    return [
        *((path, Source) for path in layout.source_records()),
        *((path, EntityFile) for path in layout.entity_files()),
        *((path, FactFile) for path in layout.fact_files()),
    ]


def format_files(root: Path, write: bool) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files not in canonical layout (rewritten when write is true), and files that are not JSON."""
    changed, unreadable = [], []
    for path, model in data_files(root):
        document, report = read_json(path, root)
        if document is None:  # unreadable, or a repeated key that rewriting would silently drop
            unreadable.append((path, "; ".join(problem.message for problem in report.problems)))
            continue
        # Line ends read as text files read them: a CRLF checkout (git on Windows) is canonical too.
        text = io.StringIO(report.text, newline=None).read()
        wanted = canonical(document, model)
        if wanted != text:
            changed.append(path)
            if write:
                path.write_text(wanted, encoding="utf-8")
    return changed, unreadable
