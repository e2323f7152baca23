"""Practice users: who may sign in, with which role; and the failed sign-ins that lock a name out.

User names are kept case-folded (sign-in is case-insensitive, and the unique index makes "Anne" and
"anne" one user). Failed sign-ins are counted per *name*, whether or not such a user exists, so a
lock-out does not tell an outsider which names are real. Timestamps are UTC without a zone.
"""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from cockpit.models.base import Base


class PracticeUser(Base):
    __tablename__ = "practice_users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    # scrypt$n$r$p$salt$hash (cockpit.privacy.passwords)
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
    changed_at: Mapped[datetime]
    last_sign_in_at: Mapped[datetime | None]


class SignInFailure(Base):
    """Consecutive failed sign-ins for one (case-folded) name; the row goes on success or unlock."""

    __tablename__ = "sign_in_failures"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_attempts: Mapped[int]
    last_failure_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
