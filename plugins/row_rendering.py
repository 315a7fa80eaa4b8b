"""Rows of tables and canned queries written in one Python call a row, not Jinja expressions a cell.

Datasette renders its templates in Jinja's async mode, where every expression is awaited,
looked up and escaped on its own: a table page of 50 rows of `fact` (26 columns) spent about
half of its 60 ms writing cells. templates/_table.html and templates/query.html (Datasette's
own, but for their rows) call the `table_cells` and `query_cells` filters once a row, which
write the same markup: the same classes, each value escaped unless Datasette already made it
markup (links, labels).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from datasette import hookimpl
from datasette.utils import to_css_class
from markupsafe import Markup, escape


@functools.lru_cache(maxsize=1024)
def _cell_class(column: str, value_type: str) -> str:
    return f"col-{escape(to_css_class(column))} type-{escape(value_type)}"


def table_cells(row: Iterable[Mapping[str, Any]]) -> Markup:
    return Markup(
        "".join(
            f'<td class="{_cell_class(cell["column"], cell["value_type"])}">{escape(cell["value"])}</td>'
            for cell in row
        )
    )


@functools.lru_cache(maxsize=1024)
def _column_class(column: str) -> str:
    return f"col-{escape(to_css_class(column))}"


def query_cells(row: Iterable[Any], columns: Iterable[str]) -> Markup:
    # Not strict: Jinja's zip in query.html stops at the shorter too.
    cells = zip(columns, row, strict=False)
    return Markup("".join(f'<td class="{_column_class(column)}">{escape(td)}</td>' for column, td in cells))


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["table_cells"] = table_cells
    env.filters["query_cells"] = query_cells
