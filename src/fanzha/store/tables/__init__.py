"""All workflow tables. Each room has a module here; importing this package registers them all
on :data:`metadata` (used by Alembic autogenerate and the schema-drift test)."""

from fanzha.store.db import Base
from fanzha.store.tables import jobs  # noqa: F401

metadata = Base.metadata
