"""A fact's page says who its quotes name, and how: "the two leaders" shown with the passage of
the same source that says who they are (the grounding table, made by factdb/grounding.py).

Datasette's row page of the fact table gets an `evidence` list through the documented
extra_template_vars hook; templates/row-facts-fact.html shows it below the row.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils import urlsafe_components

_EVIDENCE = """
SELECT g.role, g.entity_id, e.name, g.words, g.how, g.context, g.source_id, g.start
FROM grounding AS g JOIN entity AS e ON e.id = g.entity_id
WHERE g.fact_id = :fact
ORDER BY CASE g.role WHEN 'subject' THEN 0 WHEN 'object' THEN 1 WHEN 'place' THEN 2 ELSE 3 END
"""


@hookimpl
def extra_template_vars(database: str, table: str | None, view_name: str, request: Any, datasette: Any) -> Any:
    if view_name != "row" or table != "fact":
        return {}

    async def evidence() -> dict[str, Any]:
        fact_id = urlsafe_components(request.url_vars["pks"])[0]
        rows = (await datasette.get_database(database).execute(_EVIDENCE, {"fact": fact_id})).rows
        return {"evidence": [dict(row) for row in rows]}

    return evidence
