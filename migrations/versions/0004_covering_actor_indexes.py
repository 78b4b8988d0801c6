"""Actor indexes cover the relation, counterpart and dyad queries (no table visits)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 14:52:46.496670
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = ["negated", "quad_class", "goldstein", "evidence_count", "article_count"]


def upgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_source_date")
        batch_op.create_index(
            "ix_event_source_date", ["source_id", "date", "target_id", *COVERED], unique=False
        )
        batch_op.drop_index("ix_event_target_date")
        batch_op.create_index(
            "ix_event_target_date", ["target_id", "date", "source_id", *COVERED], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index("ix_event_target_date")
        batch_op.create_index("ix_event_target_date", ["target_id", "date"], unique=False)
        batch_op.drop_index("ix_event_source_date")
        batch_op.create_index("ix_event_source_date", ["source_id", "date"], unique=False)
