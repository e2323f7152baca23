"""Follow-up worklists: lists of patients to contact, each item tied to the indicator hit that put the
patient there, with a workflow, a full history and optimistic locking (``version``).

Items refer to their patient by internal id *and* FHIR id, without a foreign key: an item and its history
outlive the patient's row (moved to another practice, removed by a sync), and the FHIR id finds the
patient again after a re-import has given them a new internal id. Timestamps are UTC without a zone.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from cockpit.models.base import Base


class Worklist(Base):
    __tablename__ = "worklists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    indicator_ids: Mapped[list[str]] = mapped_column(JSON)
    # New hits of the list's indicators are added on each re-evaluation.
    follows: Mapped[bool] = mapped_column(default=False)
    # The implementation plan: what the practice will change, how, who does it, by when, the target.
    plan_what: Mapped[str | None] = mapped_column(Text)
    plan_how: Mapped[str | None] = mapped_column(Text)
    plan_who: Mapped[str | None] = mapped_column(String(200))
    plan_by: Mapped[date | None]
    plan_target: Mapped[str | None] = mapped_column(String(200))
    plan_review: Mapped[date | None]
    plan_changed_by: Mapped[str | None] = mapped_column(String(64))
    plan_changed_at: Mapped[datetime | None]
    last_evaluated_at: Mapped[datetime | None]


class WorklistItem(Base):
    __tablename__ = "worklist_items"
    __table_args__ = (
        Index("ix_worklist_items_list", "list_id", "status"),
        Index("ix_worklist_items_patient", "patient_fhir_id", "indicator_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    list_id: Mapped[int] = mapped_column(ForeignKey("worklists.id", ondelete="CASCADE"))
    patient_id: Mapped[int | None]
    patient_fhir_id: Mapped[str] = mapped_column(String(64))
    indicator_id: Mapped[str] = mapped_column(String(64))
    evidence: Mapped[list[Any]] = mapped_column(JSON)  # the indicator's evidence when the item was added
    added_by: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(40))  # a reason code for the closing statuses
    assignee_user: Mapped[str | None] = mapped_column(String(64))
    assignee_role: Mapped[str | None] = mapped_column(String(16))
    due: Mapped[date | None]
    priority: Mapped[int] = mapped_column(default=2)  # 1 high, 2 normal, 3 low
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    # When the data showed that the patient no longer meets the criterion, and the evidence for it.
    resolved_at: Mapped[datetime | None]
    resolved_evidence: Mapped[list[Any] | None] = mapped_column(JSON)


class WorklistItemEvent(Base):
    """One change of one item: a field from a value to a value, a note, the item's creation or its
    resolution by the data. Changes made together share ``version`` (the item's version after them)."""

    __tablename__ = "worklist_item_events"
    __table_args__ = (Index("ix_worklist_item_events_item", "item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("worklist_items.id", ondelete="CASCADE"))
    version: Mapped[int]
    at: Mapped[datetime]
    user: Mapped[str] = mapped_column(String(64))
    role: Mapped[str | None] = mapped_column(String(16))
    workstation: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # created, change, note, resolved
    field: Mapped[str | None] = mapped_column(String(20))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
