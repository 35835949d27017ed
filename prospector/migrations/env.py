"""Alembic environment: runs on the connection ``prospector.db.upgrade`` hands it."""

from alembic import context
from sqlmodel import SQLModel

import prospector.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata
connection = context.config.attributes.get("connection")

if connection is None:
    from sqlalchemy.engine import make_url

    from prospector.db import make_engine

    # Run from the alembic command line: the URL's database is the file (our engine
    # then opens exactly that file, whatever characters its name holds).
    url = make_url(context.config.get_main_option("sqlalchemy.url") or "sqlite://")
    engine = make_engine(url.database or ":memory:")
    connection = engine.connect()

context.configure(
    connection=connection,
    target_metadata=target_metadata,
    render_as_batch=True,
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
