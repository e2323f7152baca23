"""Declarative base and the provenance columns every imported row carries."""

from datetime import datetime

from sqlalchemy import MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names, so Alembic migrations (batch mode on SQLite) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Provenance:
    """Where a row came from: the source, the FHIR resource (type, id, version) and when it changed.

    ``content_hash`` is a digest of the source resource: a re-delivered, unchanged resource is recognised
    and left alone, which is what makes import and sync idempotent.
    """

    source: Mapped[str] = mapped_column(String(200))
    fhir_type: Mapped[str] = mapped_column(String(40))
    fhir_id: Mapped[str] = mapped_column(String(64))
    fhir_version: Mapped[str | None] = mapped_column(String(64))
    last_updated: Mapped[datetime | None]
    content_hash: Mapped[str] = mapped_column(String(32))
