"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-29 21:40:08.643307
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=30), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("operator", sa.String(length=50), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_change_log_at"), ["at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_change_log_table_name"), ["table_name"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_change_log_uid"), ["uid"], unique=False)

    op.create_table(
        "enterprises",
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("name_sort", sa.String(length=400), nullable=True),
        sa.Column("unit_type", sa.String(length=20), nullable=True),
        sa.Column("credit_code", sa.String(length=18), nullable=True),
        sa.Column("town", sa.String(length=100), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("legal_rep", sa.String(length=50), nullable=True),
        sa.Column("contact", sa.String(length=50), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=True),
        sa.Column("staff_count", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_warnings", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enterprises")),
        sa.UniqueConstraint("uid", name=op.f("uq_enterprises_uid")),
    )
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_enterprises_credit_code"), ["credit_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_enterprises_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_enterprises_name"), ["name"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_enterprises_name_sort"), ["name_sort"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_enterprises_unit_type"), ["unit_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_enterprises_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "events",
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("name_sort", sa.String(length=600), nullable=True),
        sa.Column("event_type", sa.String(length=20), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("organizer", sa.String(length=200), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("works", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_warnings", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
        sa.UniqueConstraint("uid", name=op.f("uq_events_uid")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_events_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_event_type"), ["event_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_name_sort"), ["name_sort"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_start_on"), ["start_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_events_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "merge_marks",
        sa.Column("office_id", sa.String(length=36), nullable=False),
        sa.Column("office_name", sa.String(length=200), nullable=False),
        sa.Column("their_latest", sa.DateTime(), nullable=True),
        sa.Column("merged_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("office_id", name=op.f("pk_merge_marks")),
    )
    op.create_table(
        "report_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_drafts")),
        sa.UniqueConstraint("uid", name=op.f("uq_report_drafts_uid")),
        sa.UniqueConstraint("year", name=op.f("uq_report_drafts_year")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "targets",
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("indicator", sa.String(length=50), nullable=True),
        sa.Column("target_value", sa.Integer(), nullable=True),
        sa.Column("actual_value", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_warnings", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
        sa.UniqueConstraint("uid", name=op.f("uq_targets_uid")),
    )
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_targets_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_targets_indicator"), ["indicator"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_targets_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_targets_year"), ["year"], unique=False)

    op.create_table(
        "awards",
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("title_sort", sa.String(length=600), nullable=True),
        sa.Column("award_name", sa.String(length=20), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=True),
        sa.Column("grade", sa.String(length=10), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("winners", sa.String(length=300), nullable=True),
        sa.Column("bonus", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_warnings", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["enterprises.id"], name=op.f("fk_awards_unit_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_awards")),
        sa.UniqueConstraint("uid", name=op.f("uq_awards_uid")),
    )
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_awards_award_name"), ["award_name"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_awards_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_awards_grade"), ["grade"], unique=False)
        batch_op.create_index(batch_op.f("ix_awards_level"), ["level"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_awards_title_sort"), ["title_sort"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_awards_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_awards_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_awards_year"), ["year"], unique=False)

    op.create_table(
        "patents",
        sa.Column("app_no", sa.String(length=20), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("title_sort", sa.String(length=600), nullable=True),
        sa.Column("patent_type", sa.String(length=10), nullable=True),
        sa.Column("applicant", sa.String(length=200), nullable=True),
        sa.Column("applicant_type", sa.String(length=10), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("granted_on", sa.Date(), nullable=True),
        sa.Column("legal_status", sa.String(length=10), nullable=True),
        sa.Column("inventors", sa.String(length=300), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_warnings", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["enterprises.id"], name=op.f("fk_patents_unit_id_enterprises")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patents")),
        sa.UniqueConstraint("uid", name=op.f("uq_patents_uid")),
    )
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patents_app_no"), ["app_no"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_patents_applicant"), ["applicant"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_applicant_type"), ["applicant_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_filed_on"), ["filed_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_granted_on"), ["granted_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_legal_status"), ["legal_status"], unique=False
        )
        batch_op.create_index(
            "ix_patents_live_filed", ["deleted_at", "filed_on"], unique=False
        )
        batch_op.create_index(
            "ix_patents_live_granted", ["deleted_at", "granted_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_patent_type"), ["patent_type"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_title_sort"), ["title_sort"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patents_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "projects",
        sa.Column("code", sa.String(length=60), nullable=True),
        sa.Column("name", sa.String(length=300), nullable=True),
        sa.Column("name_sort", sa.String(length=600), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=True),
        sa.Column("plan_category", sa.String(length=100), nullable=True),
        sa.Column("tech_field", sa.String(length=20), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("leader", sa.String(length=50), nullable=True),
        sa.Column("apply_year", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=True),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("midterm_on", sa.Date(), nullable=True),
        sa.Column("accepted_on", sa.Date(), nullable=True),
        sa.Column("funding", sa.Integer(), nullable=True),
        sa.Column("self_funding", sa.Integer(), nullable=True),
        sa.Column("start_on", sa.Date(), nullable=True),
        sa.Column("end_on", sa.Date(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_warnings", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["enterprises.id"],
            name=op.f("fk_projects_unit_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
        sa.UniqueConstraint("uid", name=op.f("uq_projects_uid")),
    )
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_projects_accepted_on"), ["accepted_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_apply_year"), ["apply_year"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_approved_on"), ["approved_on"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_code"), ["code"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_projects_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_projects_level"), ["level"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_projects_midterm_on"), ["midterm_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_name_sort"), ["name_sort"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_plan_category"), ["plan_category"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_tech_field"), ["tech_field"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_projects_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "qualifications",
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=True),
        sa.Column("level", sa.String(length=10), nullable=True),
        sa.Column("cert_no", sa.String(length=50), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("certified_on", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=50), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("confirmed_warnings", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["enterprises.id"],
            name=op.f("fk_qualifications_unit_id_enterprises"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualifications")),
        sa.UniqueConstraint("uid", name=op.f("uq_qualifications_uid")),
    )
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_qualifications_category"), ["category"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_cert_no"), ["cert_no"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_certified_on"), ["certified_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_deleted_at"), ["deleted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_level"), ["level"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_status"), ["status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_unit_id"), ["unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_updated_at"), ["updated_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_valid_until"), ["valid_until"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_qualifications_year"), ["year"], unique=False
        )

    op.create_table(
        "report_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("heading", sa.String(length=200), nullable=False),
        sa.Column("clerk_text", sa.Text(), nullable=False),
        sa.Column("with_chart", sa.Boolean(), nullable=False),
        sa.Column("with_table", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["report_drafts.id"],
            name=op.f("fk_report_sections_draft_id_report_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_sections")),
        sa.UniqueConstraint(
            "draft_id", "key", name=op.f("uq_report_sections_draft_id")
        ),
    )
    with op.batch_alter_table("report_sections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_sections_draft_id"), ["draft_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("report_sections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_sections_draft_id"))

    op.drop_table("report_sections")
    with op.batch_alter_table("qualifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qualifications_year"))
        batch_op.drop_index(batch_op.f("ix_qualifications_valid_until"))
        batch_op.drop_index(batch_op.f("ix_qualifications_updated_at"))
        batch_op.drop_index(batch_op.f("ix_qualifications_unit_id"))
        batch_op.drop_index(batch_op.f("ix_qualifications_status"))
        batch_op.drop_index(batch_op.f("ix_qualifications_level"))
        batch_op.drop_index(batch_op.f("ix_qualifications_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_qualifications_certified_on"))
        batch_op.drop_index(batch_op.f("ix_qualifications_cert_no"))
        batch_op.drop_index(batch_op.f("ix_qualifications_category"))

    op.drop_table("qualifications")
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_projects_updated_at"))
        batch_op.drop_index(batch_op.f("ix_projects_unit_id"))
        batch_op.drop_index(batch_op.f("ix_projects_tech_field"))
        batch_op.drop_index(batch_op.f("ix_projects_status"))
        batch_op.drop_index(batch_op.f("ix_projects_plan_category"))
        batch_op.drop_index(batch_op.f("ix_projects_name_sort"))
        batch_op.drop_index(batch_op.f("ix_projects_midterm_on"))
        batch_op.drop_index(batch_op.f("ix_projects_level"))
        batch_op.drop_index(batch_op.f("ix_projects_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_projects_code"))
        batch_op.drop_index(batch_op.f("ix_projects_approved_on"))
        batch_op.drop_index(batch_op.f("ix_projects_apply_year"))
        batch_op.drop_index(batch_op.f("ix_projects_accepted_on"))

    op.drop_table("projects")
    with op.batch_alter_table("patents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patents_updated_at"))
        batch_op.drop_index(batch_op.f("ix_patents_unit_id"))
        batch_op.drop_index(batch_op.f("ix_patents_title_sort"))
        batch_op.drop_index(batch_op.f("ix_patents_patent_type"))
        batch_op.drop_index("ix_patents_live_granted")
        batch_op.drop_index("ix_patents_live_filed")
        batch_op.drop_index(batch_op.f("ix_patents_legal_status"))
        batch_op.drop_index(batch_op.f("ix_patents_granted_on"))
        batch_op.drop_index(batch_op.f("ix_patents_filed_on"))
        batch_op.drop_index(batch_op.f("ix_patents_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_patents_applicant_type"))
        batch_op.drop_index(batch_op.f("ix_patents_applicant"))
        batch_op.drop_index(batch_op.f("ix_patents_app_no"))

    op.drop_table("patents")
    with op.batch_alter_table("awards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_awards_year"))
        batch_op.drop_index(batch_op.f("ix_awards_updated_at"))
        batch_op.drop_index(batch_op.f("ix_awards_unit_id"))
        batch_op.drop_index(batch_op.f("ix_awards_title_sort"))
        batch_op.drop_index(batch_op.f("ix_awards_level"))
        batch_op.drop_index(batch_op.f("ix_awards_grade"))
        batch_op.drop_index(batch_op.f("ix_awards_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_awards_award_name"))

    op.drop_table("awards")
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_targets_year"))
        batch_op.drop_index(batch_op.f("ix_targets_updated_at"))
        batch_op.drop_index(batch_op.f("ix_targets_indicator"))
        batch_op.drop_index(batch_op.f("ix_targets_deleted_at"))

    op.drop_table("targets")
    op.drop_table("settings")
    op.drop_table("report_drafts")
    op.drop_table("merge_marks")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_updated_at"))
        batch_op.drop_index(batch_op.f("ix_events_start_on"))
        batch_op.drop_index(batch_op.f("ix_events_name_sort"))
        batch_op.drop_index(batch_op.f("ix_events_event_type"))
        batch_op.drop_index(batch_op.f("ix_events_deleted_at"))

    op.drop_table("events")
    with op.batch_alter_table("enterprises", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enterprises_updated_at"))
        batch_op.drop_index(batch_op.f("ix_enterprises_unit_type"))
        batch_op.drop_index(batch_op.f("ix_enterprises_name_sort"))
        batch_op.drop_index(batch_op.f("ix_enterprises_name"))
        batch_op.drop_index(batch_op.f("ix_enterprises_deleted_at"))
        batch_op.drop_index(batch_op.f("ix_enterprises_credit_code"))

    op.drop_table("enterprises")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_change_log_uid"))
        batch_op.drop_index(batch_op.f("ix_change_log_table_name"))
        batch_op.drop_index(batch_op.f("ix_change_log_at"))

    op.drop_table("change_log")
