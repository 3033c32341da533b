"""SQLAlchemy 2 typed models: one class per table of the data dictionary (DESIGN §3)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> dt.datetime:
    """Current UTC time without tzinfo, as stored in the file."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_uid() -> str:
    """A new UUID4 identity, the record's name across offices."""
    return str(uuid.uuid4())


class Money(TypeDecorator):
    """万元 amount kept exactly as integer hundredths, so sums are exact on any engine."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        cents = (Decimal(str(value)) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return int(cents)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return (Decimal(int(value)) / 100).quantize(Decimal("0.01"))


class SortKey(TypeDecorator):
    """A pinyin sort key (kejiju_desktop/sorting.py: syllables, NUL, the text). PostgreSQL's text cannot
    hold NUL, so a server stores U+0001 in its place, which sorts the same (below every printable
    character) and is read back as NUL: both engines hand out and compare the same keys. Cut to its
    length: the first characters decide the order."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return value
        # A title's syllables outgrow the column (a 300-character title's are some 1,800 characters), which
        # a server refuses to store: its first `length` characters sort it, on either engine alike.
        value = value[: self.length]
        return value if dialect.name == "sqlite" else value.replace("\x00", "\x01")

    def process_result_value(self, value, dialect):
        if value is None or dialect.name == "sqlite":
            return value
        return value.replace("\x01", "\x00")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Entity:
    """Columns every record table carries: local id, identity across offices, audit, recycle bin."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    updated_by: Mapped[str] = mapped_column(String(50), default="")
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, index=True)
    # Field keys whose warning the clerk confirmed (comma separated); a confirmed warning is a notice.
    confirmed_warnings: Mapped[str] = mapped_column(String(200), default="")
    # Bumped by every write; a save names the version it read (optimistic concurrency between clerks).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # Every ORM UPDATE and DELETE of a record is `WHERE id = :id AND version = :loaded`, setting
        # version + 1, its row count checked (StaleDataError): a write never lands on a row another
        # program changed after this session read it. Core updates add the same condition themselves.
        return {"version_id_col": cls.version}


class Enterprise(Entity, Base):
    __tablename__ = "enterprises"

    name: Mapped[str | None] = mapped_column(String(200), index=True)
    name_sort: Mapped[str | None] = mapped_column(SortKey(400), index=True)
    unit_type: Mapped[str | None] = mapped_column(String(20), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18), index=True)
    town: Mapped[str | None] = mapped_column(String(100))
    industry: Mapped[str | None] = mapped_column(String(100))
    address: Mapped[str | None] = mapped_column(String(300))
    legal_rep: Mapped[str | None] = mapped_column(String(50))
    contact: Mapped[str | None] = mapped_column(String(50))
    phone: Mapped[str | None] = mapped_column(String(50))
    founded_on: Mapped[dt.date | None] = mapped_column(Date)
    staff_count: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class Qualification(Entity, Base):
    __tablename__ = "qualifications"

    unit_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(30), index=True)
    level: Mapped[str | None] = mapped_column(String(10), index=True)
    cert_no: Mapped[str | None] = mapped_column(String(50), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    certified_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    valid_until: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status: Mapped[str | None] = mapped_column(String(10), index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Project(Entity, Base):
    __tablename__ = "projects"

    code: Mapped[str | None] = mapped_column(String(60), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    name_sort: Mapped[str | None] = mapped_column(SortKey(600), index=True)
    level: Mapped[str | None] = mapped_column(String(10), index=True)
    plan_category: Mapped[str | None] = mapped_column(String(100), index=True)
    tech_field: Mapped[str | None] = mapped_column(String(20), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    leader: Mapped[str | None] = mapped_column(String(50))
    apply_year: Mapped[int | None] = mapped_column(Integer, index=True)
    status: Mapped[str | None] = mapped_column(String(10), index=True)
    approved_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    midterm_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    accepted_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    funding: Mapped[Decimal | None] = mapped_column(Money)
    self_funding: Mapped[Decimal | None] = mapped_column(Money)
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Patent(Entity, Base):
    __tablename__ = "patents"
    __table_args__ = (
        Index("ix_patents_live_filed", "deleted_at", "filed_on"),
        Index("ix_patents_live_granted", "deleted_at", "granted_on"),
        Index("ix_patents_live_title", "deleted_at", "title_sort"),  # pinyin order, deep pages quick
    )

    app_no: Mapped[str | None] = mapped_column(String(20), index=True)
    title: Mapped[str | None] = mapped_column(String(300))
    title_sort: Mapped[str | None] = mapped_column(SortKey(600), index=True)
    patent_type: Mapped[str | None] = mapped_column(String(10), index=True)
    applicant: Mapped[str | None] = mapped_column(String(200), index=True)
    applicant_type: Mapped[str | None] = mapped_column(String(10), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    filed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    granted_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    # 失效日: a patent that lapsed in a later year still counts as 有效 for earlier years.
    lapsed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    legal_status: Mapped[str | None] = mapped_column(String(10), index=True)
    inventors: Mapped[str | None] = mapped_column(String(300), index=True)  # sortable at 500,000 patents
    note: Mapped[str | None] = mapped_column(Text)


class Award(Entity, Base):
    __tablename__ = "awards"

    title: Mapped[str | None] = mapped_column(String(300))
    title_sort: Mapped[str | None] = mapped_column(SortKey(600), index=True)
    award_name: Mapped[str | None] = mapped_column(String(20), index=True)
    level: Mapped[str | None] = mapped_column(String(10), index=True)
    grade: Mapped[str | None] = mapped_column(String(10), index=True)
    year: Mapped[int | None] = mapped_column(Integer, index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("enterprises.id"), index=True)
    winners: Mapped[str | None] = mapped_column(String(300))
    bonus: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)


class Event(Entity, Base):
    __tablename__ = "events"

    name: Mapped[str | None] = mapped_column(String(300))
    name_sort: Mapped[str | None] = mapped_column(SortKey(600), index=True)
    event_type: Mapped[str | None] = mapped_column(String(20), index=True)
    start_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(String(200))
    organizer: Mapped[str | None] = mapped_column(String(200))
    participants: Mapped[int | None] = mapped_column(Integer)
    works: Mapped[int | None] = mapped_column(Integer)
    content: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Target(Entity, Base):
    __tablename__ = "targets"

    year: Mapped[int | None] = mapped_column(Integer, index=True)
    indicator: Mapped[str | None] = mapped_column(String(50), index=True)
    target_value: Mapped[Decimal | None] = mapped_column(Money)
    actual_value: Mapped[Decimal | None] = mapped_column(Money)
    note: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    """One key/value pair of the file's settings (bureau name, county, office id, choice lists…)."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class ReportDraft(Base):
    """The clerk's report of one year: title, date and the sections below."""

    __tablename__ = "report_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uid)
    year: Mapped[int] = mapped_column(Integer, unique=True)
    title: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now)


class ReportSection(Base):
    """One section of a year's draft: order, on/off, heading, the clerk's own text."""

    __tablename__ = "report_sections"
    __table_args__ = (UniqueConstraint("draft_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("report_drafts.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer, default=0)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    heading: Mapped[str] = mapped_column(String(200), default="")
    clerk_text: Mapped[str] = mapped_column(Text, default="")
    with_chart: Mapped[bool] = mapped_column(Boolean, default=False)
    with_table: Mapped[bool] = mapped_column(Boolean, default=False)


class ChangeLog(Base):
    """One line per record written: which table, which record, what, when, by whom."""

    __tablename__ = "change_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(30), index=True)
    uid: Mapped[str] = mapped_column(String(36), index=True)
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utc_now, index=True)
    operator: Mapped[str] = mapped_column(String(50), default="")
    fields: Mapped[str] = mapped_column(Text, default="")
    # JSON {field key: [old, new]} (merge lines may add the other office's operator); "" on older lines.
    changes: Mapped[str] = mapped_column(Text, default="", server_default="")


# Keys of `change_log.changes` beside the field keys (a field key never starts with "_"), which the
# program writes on a file and a server's triggers write themselves (db/server_history.py).
LINE_THEIR_OPERATOR = "_operator"  # a merge line: who made the change in the other office
LINE_PURGED = "_purged"  # 永久删除 blanked this line's values
LINE_AS_STORED = "_as_stored"  # an import's create line: its values are read back from the record
LINE_DELETED_AT = "deleted_at"  # the recycle-bin state, kept like a field (未删除 → 已删除)


class MergeMark(Base):
    """Per other office: the latest updated_at of theirs already merged here."""

    __tablename__ = "merge_marks"

    office_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    office_name: Mapped[str] = mapped_column(String(200), default="")
    their_latest: Mapped[dt.datetime | None] = mapped_column(DateTime)
    merged_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


ENTITY_MODELS: dict[str, type[Entity]] = {
    "enterprises": Enterprise,
    "qualifications": Qualification,
    "projects": Project,
    "patents": Patent,
    "awards": Award,
    "events": Event,
    "targets": Target,
}
