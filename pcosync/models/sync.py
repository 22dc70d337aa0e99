"""What the sync machinery records: runs, issues for a human, webhook deliveries."""
from datetime import datetime
from typing import Optional

from sqlalchemy import (
    JSON, CheckConstraint, FetchedValue, ForeignKey, Index, String, Text, UniqueConstraint, false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .enums import DeliveryStatus, RemovalKind, RunStatus, check_in
from .types import CreatedAtMixin, UTCDateTime, utcnow


class SyncRun(db.Model):
    __tablename__ = "sync_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default=RunStatus.RUNNING)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    heartbeat_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, default=utcnow)
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    failed_count: Mapped[int] = mapped_column(default=0)
    total_expected: Mapped[Optional[int]]
    error: Mapped[Optional[str]] = mapped_column(Text)
    triggered_by: Mapped[str] = mapped_column(String(200), default="cli")
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[Optional[str]] = mapped_column(String(100))
    # Set by another process (runs/lifecycle.request_cancel). Every UPDATE of a run reads it
    # back (RETURNING: FetchedValue with eager_defaults), so a page's checkpoint learns of a
    # cancel from its own UPDATE, without a query of its own.
    cancel_requested: Mapped[bool] = mapped_column(default=False,
                                                   server_onupdate=FetchedValue())
    parent_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    # 1 while a top-level run is active, NULL otherwise: the partial unique index below
    # makes "one run at a time" an atomic database rule, across every process.
    active_slot: Mapped[Optional[int]]
    # A preview runs the same code but writes nothing lasting here and sends nothing to PCO;
    # `report` then holds what it would have done (services/runs/preview.py).
    preview: Mapped[bool] = mapped_column(default=False, server_default=false())
    # An admin said "Run anyway": the guard (services/runs/guard.py) does not stop this run.
    guard_confirmed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The guard stopped it: a human looks at its preview, then runs it anyway or not.
    needs_review: Mapped[bool] = mapped_column(default=False, server_default=false())
    report: Mapped[Optional[dict]] = mapped_column(JSON)

    steps: Mapped[list["SyncRun"]] = relationship(
        back_populates="parent", order_by="SyncRun.id", cascade="all, delete-orphan")
    parent: Mapped[Optional["SyncRun"]] = relationship(back_populates="steps", remote_side=[id])
    issues: Mapped[list["SyncIssue"]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="SyncIssue.id")

    __mapper_args__ = {"eager_defaults": True}
    __table_args__ = (
        CheckConstraint(check_in("status", RunStatus), name="status_known"),
        CheckConstraint("active_slot IS NULL OR active_slot = 1", name="active_slot_one"),
        Index("uq_sync_runs_active_slot", "active_slot", unique=True,
              sqlite_where=text("active_slot IS NOT NULL"),
              postgresql_where=text("active_slot IS NOT NULL")),
        Index("ix_sync_runs_started_at", "started_at"),
    )

    @property
    def duration_seconds(self):
        end = self.finished_at or utcnow()
        return max(0.0, (end - self.started_at).total_seconds())


class SyncIssue(CreatedAtMixin, db.Model):
    __tablename__ = "sync_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("webhook_deliveries.id", ondelete="CASCADE"), index=True)
    record_type: Mapped[str] = mapped_column(String(40))
    pco_id: Mapped[Optional[str]] = mapped_column(String(40))
    local_id: Mapped[Optional[int]]
    reason: Mapped[str] = mapped_column(Text)

    run: Mapped[Optional["SyncRun"]] = relationship(back_populates="issues")


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[str] = mapped_column(String(80), unique=True)
    event_name: Mapped[str] = mapped_column(String(120), index=True)
    attempt: Mapped[int] = mapped_column(default=1)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=DeliveryStatus.RECEIVED, index=True)
    error: Mapped[Optional[str]] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(check_in("status", DeliveryStatus), name="status_known"),
    )


class WebhookSubscription(db.Model):
    """A PCO webhook subscription (one event name each) and its authenticity secret, imported
    from PCO so that an admin need not copy one secret per event into the settings. The secret
    is used to verify deliveries and never shown."""
    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    pco_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[Optional[str]] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    authenticity_secret: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # After "Rotate secrets" the old secret still verifies until then: deliveries PCO signed
    # before the rotation may still be on their way.
    previous_secret: Mapped[Optional[str]] = mapped_column(String(200))
    previous_secret_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # Created or adopted by "Set up webhooks" (its URL is this app's): the daily check keeps it.
    managed: Mapped[bool] = mapped_column(default=False, server_default=false())
    checked_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    # When the daily check found it deactivated by PCO and switched it back on.
    reactivated_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)

    def __repr__(self):  # never the secret
        return f"<WebhookSubscription {self.pco_id} {self.name!r} active={self.active}>"


class PendingRemoval(CreatedAtMixin, db.Model):
    """A membership removed here that PCO still holds (of a PCO group, or of a PCO household):
    the next push removes it in PCO, and until then pulls and webhooks do not bring it back."""
    __tablename__ = "pending_removals"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    parent_pco_id: Mapped[str] = mapped_column(String(40))
    person_pco_id: Mapped[str] = mapped_column(String(40))
    membership_pco_id: Mapped[Optional[str]] = mapped_column(String(40))

    __table_args__ = (
        UniqueConstraint("kind", "parent_pco_id", "person_pco_id"),
        CheckConstraint(check_in("kind", RemovalKind), name="kind_known"),
    )


class ConnectedOrganization(db.Model):
    """The PCO organization the credentials reached at the last Test Connection: webhook
    deliveries from any other organization are refused. One row."""
    __tablename__ = "connected_organizations"

    id: Mapped[int] = mapped_column(primary_key=True)
    pco_id: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The PCO user the token acts as (PCO's /people/v2/me) and whether they can see every
    # People profile; None until a Test Connection has asked. A Full Sync with a token that
    # cannot see everyone archives nobody: missing from what it sees is not gone from PCO.
    token_user_name: Mapped[Optional[str]] = mapped_column(String(200))
    token_people_permissions: Mapped[Optional[str]] = mapped_column(String(40))
    token_sees_everyone: Mapped[Optional[bool]] = mapped_column()
