"""All workflow tables. Each room has a module here; importing this package registers them all
on :data:`metadata` (used by Alembic autogenerate and the schema-drift test)."""

from fanzha.store.db import Base
from fanzha.store.tables import (
    access,  # noqa: F401
    cases,  # noqa: F401
    ingest,  # noqa: F401
    intercept,  # noqa: F401
    jobs,  # noqa: F401
    registry,  # noqa: F401
    warn,  # noqa: F401
)

metadata = Base.metadata
