"""Alembic migrations of the store's schema. ``HEAD`` must name the newest revision (a test checks it),
so that opening an up-to-date store does not need to load Alembic at all."""

from typing import Final

HEAD: Final = "0009"
