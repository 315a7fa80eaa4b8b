"""Rows of tables and canned queries written in one Python call a row, not Jinja expressions a cell;
and a row page's foreign keys linked, as a table page links them.

Datasette renders its templates in Jinja's async mode, where every expression is awaited,
looked up and escaped on its own: a table page of 50 rows of `fact` (26 columns) spent about
half of its 60 ms writing cells. templates/_table.html and templates/query.html (Datasette's
own, but for their rows) call the `table_cells` and `query_cells` filters once a row, which
write the same markup: the same classes, each value escaped unless Datasette already made it
markup (links, labels).

Datasette 0.65 shows a row page's foreign keys as bare ids (a fact's subject as
`person:tran-dai-quang`, not a link to that person), where its table pages show each as a link
labelled with the other row's label column. `row_links` gives the row page the same links, in
Datasette's own markup, for `table_cells` to write in place of the bare ids.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from datasette import hookimpl
from datasette.utils import escape_sqlite, tilde_encode, to_css_class, urlsafe_components
from datasette.views.table import LINK_WITH_LABEL, LINK_WITH_VALUE
from markupsafe import Markup, escape


@functools.lru_cache(maxsize=1024)
def _cell_class(column: str, value_type: str) -> str:
    return f"col-{escape(to_css_class(column))} type-{escape(value_type)}"


def table_cells(row: Iterable[Mapping[str, Any]], links: Mapping[str, Markup] | None = None) -> Markup:
    """A row's cells; `links`: markup to write instead of some columns' values (a row page's
    foreign keys)."""
    if links:
        row = [{**cell, "value": links.get(cell["column"], cell["value"])} for cell in row]
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


async def _row_links(datasette: Any, database: str, table: str, pks_path: str) -> dict[str, Markup]:
    """The row's foreign keys (those whose other table has a label column, as Datasette expands
    them on table pages) as Datasette's labelled links."""
    db = datasette.get_database(database)
    foreign_keys = [
        fk for fk in await db.foreign_keys_for_table(table) if await db.label_column_for_table(fk["other_table"])
    ]
    if not foreign_keys:
        return {}
    # The row is read again: no hook hands a plugin the row the row page has read (one lookup by key).
    keys = await db.primary_keys(table) or ["rowid"]
    where = " AND ".join(f"{escape_sqlite(key)} = ?" for key in keys)
    columns = ", ".join(escape_sqlite(fk["column"]) for fk in foreign_keys)
    sql = f"SELECT {columns} FROM {escape_sqlite(table)} WHERE {where}"
    row = (await db.execute(sql, urlsafe_components(pks_path))).first()
    links = {}
    for fk, value in zip(foreign_keys, row or (), strict=False):
        if value is None:
            continue
        # Datasette's own lookup, the one its table pages label their keys with.
        labels = await datasette.expand_foreign_keys(database, table, fk["column"], [value])
        if (fk["column"], value) not in labels:
            continue  # as on table pages: a key with no row to label it stays bare
        label = labels[(fk["column"], value)]
        link = LINK_WITH_LABEL if label != value else LINK_WITH_VALUE
        links[fk["column"]] = Markup(
            link.format(
                database=database,
                base_url=datasette.setting("base_url"),
                table=tilde_encode(fk["other_table"]),
                link_id=tilde_encode(str(value)),
                id=str(escape(value)),
                label=str(escape(label)) or "-",
            )
        )
    return links


@hookimpl
def extra_template_vars(database: str, table: str | None, view_name: str, request: Any, datasette: Any) -> Any:
    if view_name != "row" or table is None:
        return {}

    async def row_links() -> dict[str, Any]:
        return {"row_links": await _row_links(datasette, database, table, request.url_vars["pks"])}

    return row_links


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["table_cells"] = table_cells
    env.filters["query_cells"] = query_cells
