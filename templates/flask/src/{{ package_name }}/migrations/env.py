"""Alembic's entry point, run by Flask-Migrate inside the app (`flask db ...`)."""

from typing import Any

from alembic import context
from flask import current_app

# The models' metadata: what autogenerate compares the database against.
migrate_extension = current_app.extensions["migrate"]
target_metadata = migrate_extension.db.metadata


def skip_empty_autogenerate(_context: Any, _revision: Any, directives: list[Any]) -> None:
    """Write no migration file when autogenerate finds no change."""
    autogenerating = getattr(context.config.cmd_opts, "autogenerate", False)
    if autogenerating and directives[0].upgrade_ops.is_empty():
        directives[:] = []


def run_migrations_offline() -> None:
    """Print the SQL instead of running it (`flask db upgrade --sql`)."""
    url = migrate_extension.db.engine.url.render_as_string(hide_password=False)
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    options = dict(migrate_extension.configure_args)
    options.setdefault("process_revision_directives", skip_empty_autogenerate)
    with migrate_extension.db.engine.connect() as connection:
        context.configure(connection=connection, target_metadata=target_metadata, **options)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
