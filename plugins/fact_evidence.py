"""A fact's page says who its quotes name, and how: "the two leaders" shown with the passage of
the same source that says who they are (the grounding table, made by factdb/grounding.py);
and the fact's history: the commits that added and changed it (the fact_change table, made by
factdb/history.py).

Datasette's row page of the fact table gets an `evidence` list and a `history` list (with
`history_absent`, why there is none when the build had no git history) through the documented
extra_template_vars hook; templates/row-facts-fact.html shows them below the row.
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

_HISTORY = 'SELECT "commit", date, change, what FROM fact_change WHERE fact_id = :fact ORDER BY id'
_HISTORY_ABSENT = "SELECT substr(value, 9) FROM build_info WHERE key = 'history' AND value LIKE 'absent: %'"


@hookimpl
def extra_template_vars(database: str, table: str | None, view_name: str, request: Any, datasette: Any) -> Any:
    if view_name != "row" or table != "fact":
        return {}

    async def evidence() -> dict[str, Any]:
        fact_id = urlsafe_components(request.url_vars["pks"])[0]
        db = datasette.get_database(database)
        evidence = (await db.execute(_EVIDENCE, {"fact": fact_id})).rows
        history = (await db.execute(_HISTORY, {"fact": fact_id})).rows
        absent = (await db.execute(_HISTORY_ABSENT)).first()
        return {
            "evidence": [dict(row) for row in evidence],
            "history": [dict(row) for row in history],
            "history_absent": absent[0] if absent else None,
        }

    return evidence
