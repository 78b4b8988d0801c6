"""Per-dyad totals of the non-negated events, kept at write time and backfilled here

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 15:32:56.666677
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = (
    "INSERT INTO dyad (source_id, target_id, events, evidence, articles, goldstein_sum,"
    " q1, q2, q3, q4, first_date, last_date)"
    " SELECT source_id, target_id, count(*), sum(evidence_count), sum(article_count),"
    " sum(goldstein),"
    + ", ".join(f" count(*) FILTER (WHERE quad_class = {q})" for q in (1, 2, 3, 4))
    + ", min(date), max(date) FROM event WHERE negated = 0 GROUP BY source_id, target_id"
)


def upgrade() -> None:
    op.create_table(
        "dyad",
        sa.Column("source_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("target_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("evidence", sa.Integer(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("goldstein_sum", sa.Float(), nullable=False),
        sa.Column("q1", sa.Integer(), nullable=False),
        sa.Column("q2", sa.Integer(), nullable=False),
        sa.Column("q3", sa.Integer(), nullable=False),
        sa.Column("q4", sa.Integer(), nullable=False),
        sa.Column("first_date", sa.Date(), nullable=False),
        sa.Column("last_date", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(["source_id"], ["actor.id"]),
        sa.ForeignKeyConstraint(["target_id"], ["actor.id"]),
        sa.PrimaryKeyConstraint("source_id", "target_id"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("dyad", schema=None) as batch_op:
        batch_op.create_index("ix_dyad_source_events", ["source_id", "events"], unique=False)
        batch_op.create_index("ix_dyad_target_events", ["target_id", "events"], unique=False)
    op.execute(BACKFILL)


def downgrade() -> None:
    with op.batch_alter_table("dyad", schema=None) as batch_op:
        batch_op.drop_index("ix_dyad_target_events")
        batch_op.drop_index("ix_dyad_source_events")
    op.drop_table("dyad")
