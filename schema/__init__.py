"""The project's schema: pydantic models, the predicate vocabulary and EDTF dates."""
