"""Keep Alembic autogenerate to Fanzha's own tables."""

from __future__ import annotations


def include_object(obj: object, name: str, type_: str, reflected: bool, compare_to: object) -> bool:
    """Never propose dropping a table that exists in the database but not in our metadata.

    A shared PostgreSQL may hold other systems' tables (and Alembic's own version table);
    autogenerate would otherwise emit ``drop_table`` for each of them.
    """
    return not (type_ == "table" and reflected and compare_to is None)
