"""The home page says which commit the data was built from (the build_info table, written by
factdb/history.py), and whether the working tree had uncommitted changes to the data then.

The variables come through the documented extra_template_vars hook; templates/index.html
extends Datasette's own index page to show them under the site's description.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

DATABASE = "facts"


@hookimpl
def extra_template_vars(view_name: str, datasette: Any) -> Any:
    if view_name != "index" or DATABASE not in datasette.databases:
        return {}

    async def build() -> dict[str, Any]:
        db = datasette.get_database(DATABASE)
        if not await db.table_exists("build_info"):
            return {}
        return {"build": dict((await db.execute("SELECT key, value FROM build_info")).rows)}

    return build
