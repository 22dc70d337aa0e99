"""What syncs, as the church chose it (one row): which PCO people come here, which local
people go to PCO. The per-person "do not send to PCO" flag lives on Person."""
from typing import Optional

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import UpdatedAtMixin


class SyncScope(UpdatedAtMixin, db.Model):
    """No row, or a row with nothing chosen: everything syncs both ways.

    Pull: the people of the chosen PCO lists (none: all of PCO), narrowed by the filters PCO's
    people listing accepts (campus, membership, child). Never status: an inactivation must
    arrive. Push: local people matching the local rules (none: all of them)."""
    __tablename__ = "sync_scopes"

    id: Mapped[int] = mapped_column(primary_key=True)
    # [{"pco_id": "12", "name": "Members"}, ...]: the name as PCO called it when chosen.
    pull_lists: Mapped[list] = mapped_column(JSON, default=list)
    pull_campus_pco_id: Mapped[Optional[str]] = mapped_column(String(40))
    pull_campus_name: Mapped[Optional[str]] = mapped_column(String(200))
    pull_membership: Mapped[Optional[str]] = mapped_column(String(120))
    pull_adults_only: Mapped[bool] = mapped_column(default=False)
    push_membership: Mapped[Optional[str]] = mapped_column(String(120))
    push_campus_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("campuses.id", ondelete="SET NULL"))
    push_adults_only: Mapped[bool] = mapped_column(default=False)
    updated_by: Mapped[Optional[str]] = mapped_column(String(200))

    push_campus: Mapped[Optional["Campus"]] = relationship()  # noqa: F821

    @property
    def pulls_everything(self):
        return not (self.pull_lists or self.pull_campus_pco_id or self.pull_membership
                    or self.pull_adults_only)

    @property
    def pushes_everything(self):
        return not (self.push_membership or self.push_campus_id or self.push_adults_only)
