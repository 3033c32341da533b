"""The figures of one year that the annual report states, counted by DESIGN §5's rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from db.models import Award, Enterprise, Event, Patent, Project, Qualification, Target
from kejiju_desktop import fields, messages

APPROVED_STATES = (
    fields.PROJECT_APPROVED,
    fields.PROJECT_UNDER_WAY,
    fields.PROJECT_MIDTERM,
    fields.PROJECT_ACCEPTED,
)
NOT_COUNTED_QUALIFICATION = (
    fields.QUALIFICATION_APPLYING,
    fields.QUALIFICATION_REJECTED,
    fields.QUALIFICATION_REVOKED,
)
ZERO = Decimal("0.00")


@dataclass
class Group:
    """A count with the names behind it (largest first), and a sum of 万元 where one applies."""

    count: int = 0
    names: list[str] = field(default_factory=list)
    amount: Decimal = ZERO


@dataclass
class PatentFigures:
    applications: int = 0
    by_type: dict[str, int] = field(default_factory=dict)
    enterprise: int = 0
    grants: int = 0
    grants_by_type: dict[str, int] = field(default_factory=dict)
    valid_inventions: int = 0  # 发明 granted by 31 Dec Y and not lapsed by then


@dataclass
class QualificationFigures:
    """Per 资质类别: distinct units newly certified in Y, valid at the end of Y, and still applying."""

    new: dict[str, Group] = field(default_factory=dict)
    new_by_level: dict[str, dict[str, Group]] = field(default_factory=dict)
    valid: dict[str, Group] = field(default_factory=dict)
    valid_by_level: dict[str, dict[str, Group]] = field(default_factory=dict)
    applying: dict[str, Group] = field(default_factory=dict)
    applied: dict[str, Group] = field(default_factory=dict)


@dataclass
class ProjectFigures:
    applied: Group = field(default_factory=Group)
    applied_by_level: dict[str, Group] = field(default_factory=dict)
    approved: Group = field(default_factory=Group)
    approved_by_level: dict[str, Group] = field(default_factory=dict)
    approved_by_category: dict[str, Group] = field(default_factory=dict)
    approved_list: list[tuple[str, str, str, Decimal | None]] = field(default_factory=list)
    midterm: Group = field(default_factory=Group)
    accepted: Group = field(default_factory=Group)


@dataclass
class AwardFigures:
    total: int = 0
    by_level: dict[str, Group] = field(default_factory=dict)
    # (级别, 奖项名称, 奖励等级) -> count
    by_level_name_grade: dict[tuple[str, str, str], int] = field(default_factory=dict)


@dataclass
class EventFigures:
    count: int = 0
    participants: int = 0
    works: int = 0
    by_type: dict[str, Group] = field(default_factory=dict)
    participants_by_type: dict[str, int] = field(default_factory=dict)
    works_by_type: dict[str, int] = field(default_factory=dict)


@dataclass
class YearFigures:
    """Everything the report counts for year Y."""

    year: int
    patents: PatentFigures
    qualifications: QualificationFigures
    projects: ProjectFigures
    agri_projects: ProjectFigures
    awards: AwardFigures
    events: EventFigures
    population: Decimal | None = None  # 年末常住人口(万人), entered by the clerk as a 年度目标's 实际值

    @property
    def has_records(self) -> bool:
        """True when any record counts for the year itself (certificates still valid from before do not)."""
        patents, qualifications, projects = self.patents, self.qualifications, self.projects
        return bool(
            patents.applications or patents.grants or qualifications.new or qualifications.applied
            or projects.applied.count or projects.approved.count or projects.midterm.count
            or projects.accepted.count or self.awards.total or self.events.count
        )  # fmt: skip


@dataclass
class Indicator:
    """One 指标 of the year: its value, the target set, last year's value."""

    name: str
    value: Decimal | int | None
    target: Decimal | None
    previous: Decimal | int | None
    manual: bool = False
    notice: str = ""  # why the value is missing (an input the clerk has not entered), for the clerk

    @property
    def completion(self) -> Decimal | None:
        """Value as a percentage of the target, 1 decimal; None without a target."""
        if self.target in (None, ZERO) or self.value is None:
            return None
        return half_up(Decimal(self.value) * 100 / Decimal(self.target), 1)

    @property
    def change(self) -> Decimal | None:
        """Percent change from last year, 1 decimal; None when last year was 0 or unknown."""
        return change_percent(self.value, self.previous)


def half_up(value: Decimal | int | float, places: int) -> Decimal:
    """`value` to `places` decimals, half up as a clerk's report rounds (0.125 → 0.13, 2.5 → 3).

    Decimal's quantize and Python's round() and format() round half to even (0.125 → 0.12, 2.5 → 2).
    """
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def change_percent(value: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    """Percent change from `previous` to `value`, 1 decimal; None when `previous` was 0 or unknown."""
    if not previous or value is None:
        return None
    return half_up((Decimal(value) - Decimal(previous)) * 100 / Decimal(previous), 1)


def _in_year(column, year: int, through: dt.date | None = None):
    """In year Y; with `through`, from 1 January of Y to that day only (a figure as of a date)."""
    if through is not None:
        return and_(column >= dt.date(year, 1, 1), column <= through)
    return and_(column >= dt.date(year, 1, 1), column < dt.date(year + 1, 1, 1))


def _live(model):
    return model.deleted_at.is_(None)


# --- patents -------------------------------------------------------------------------------------


def patent_figures(session: Session, year: int, through: dt.date | None = None) -> PatentFigures:
    """Applications by 申请日 in Y (by type, by enterprises) and grants by 授权日 in Y (up to `through`)."""
    figures = PatentFigures()
    filed = select(Patent.patent_type, Patent.applicant_type, func.count()).where(
        _live(Patent), _in_year(Patent.filed_on, year, through)
    )
    for kind, applicant_type, n in session.execute(filed.group_by(Patent.patent_type, Patent.applicant_type)):
        figures.applications += n
        figures.by_type[kind] = figures.by_type.get(kind, 0) + n
        if applicant_type == fields.APPLICANT_ENTERPRISE:
            figures.enterprise += n
    granted = select(Patent.patent_type, func.count()).where(
        _live(Patent), _in_year(Patent.granted_on, year, through)
    )
    for kind, n in session.execute(granted.group_by(Patent.patent_type)):
        figures.grants += n
        figures.grants_by_type[kind] = n
    figures.valid_inventions = session.scalar(
        select(func.count()).where(_live(Patent), valid_invention_clause(year))
    )
    return figures


def valid_invention_clause(year: int):
    """发明 granted on or before 31 Dec Y and not lapsed by then; 已失效 with no 失效日 is lapsed in every year."""
    end = dt.date(year, 12, 31)
    not_lapsed = or_(
        Patent.lapsed_on > end,
        and_(
            Patent.lapsed_on.is_(None),
            or_(Patent.legal_status.is_(None), Patent.legal_status != fields.PATENT_LAPSED),
        ),
    )
    return and_(Patent.patent_type == fields.PATENT_INVENTION, Patent.granted_on <= end, not_lapsed)


# --- qualifications --------------------------------------------------------------------------------


def _qualification_rows(session: Session, *conditions):
    stmt = (
        select(Qualification.category, Qualification.level, Enterprise.id, Enterprise.name)
        .join(Enterprise, Enterprise.id == Qualification.unit_id)
        .where(_live(Qualification), _live(Enterprise), *conditions)
        .order_by(Enterprise.name_sort)
    )
    return session.execute(stmt).all()


def _distinct_units(rows, by_level: bool = False):
    """Group rows into distinct units per category (and per level when asked)."""
    seen: dict = defaultdict(dict)
    for category, level, unit_id, name in rows:
        key = (category, level) if by_level else category
        seen[key].setdefault(unit_id, name)
    if not by_level:
        return {k: Group(len(units), list(units.values())) for k, units in seen.items()}
    nested: dict[str, dict[str, Group]] = defaultdict(dict)
    for (category, level), units in seen.items():
        nested[category][level] = Group(len(units), list(units.values()))
    return dict(nested)


def valid_at_end_clause(year: int):
    """认定 on or before 31 Dec Y, not expired by then, and not merely applied/refused/revoked."""
    end = dt.date(year, 12, 31)
    certified_by_then = or_(
        Qualification.certified_on <= end,
        and_(Qualification.certified_on.is_(None), Qualification.year <= year),
    )
    still_valid = or_(Qualification.valid_until.is_(None), Qualification.valid_until >= end)
    counted = or_(Qualification.status.is_(None), Qualification.status.not_in(NOT_COUNTED_QUALIFICATION))
    return and_(certified_by_then, still_valid, counted)


def qualification_figures(session: Session, year: int) -> QualificationFigures:
    """New in Y and valid at the end of Y, per 资质类别, as distinct units (dates decide, not 状态)."""
    figures = QualificationFigures()
    counted = or_(Qualification.status.is_(None), Qualification.status.not_in(NOT_COUNTED_QUALIFICATION))
    new_rows = _qualification_rows(session, Qualification.year == year, counted)
    figures.new = _distinct_units(new_rows)
    figures.new_by_level = _distinct_units(new_rows, by_level=True)
    valid_rows = _qualification_rows(session, valid_at_end_clause(year))
    figures.valid = _distinct_units(valid_rows)
    figures.valid_by_level = _distinct_units(valid_rows, by_level=True)
    figures.applying = _distinct_units(
        _qualification_rows(
            session, Qualification.year == year, Qualification.status == fields.QUALIFICATION_APPLYING
        )
    )
    figures.applied = _distinct_units(
        _qualification_rows(
            session,
            Qualification.year == year,
            or_(Qualification.status.is_(None), Qualification.status != fields.QUALIFICATION_REVOKED),
        )
    )
    return figures


# --- projects ----------------------------------------------------------------------------------------


def approved_clause(year: int, through: dt.date | None = None):
    """立项 in Y: an approved state and 立项日期 in Y (up to `through`), or no date and 申报年度 Y."""
    dated = _in_year(Project.approved_on, year, through)
    undated = and_(Project.approved_on.is_(None), Project.apply_year == year)
    return and_(Project.status.in_(APPROVED_STATES), or_(dated, undated))


def _project_rows(session: Session, *conditions):
    stmt = (
        select(Project.name, Project.level, Project.plan_category, Project.funding, Enterprise.name)
        .outerjoin(Enterprise, Enterprise.id == Project.unit_id)
        .where(_live(Project), *conditions)
        .order_by(Project.funding.desc().nulls_last(), Project.name_sort)
    )
    return session.execute(stmt).all()


def _group_projects(rows, index: int | None) -> dict[str, Group] | Group:
    groups: dict = defaultdict(Group)
    for row in rows:
        key = row[index] if index is not None else ""
        group = groups[key]
        group.count += 1
        group.amount += row[3] or ZERO
        unit = row[4]  # a project without a unit names no one (its own name is not a unit's)
        if unit and unit not in group.names:
            group.names.append(unit)
    if index is None:
        return groups[""] if rows else Group()
    return dict(groups)


def project_figures(
    session: Session, year: int, *conditions, through: dt.date | None = None
) -> ProjectFigures:
    """Applied (申报年度 Y), approved with 财政资助, mid-term checks and acceptances in Y (dated: up to `through`)."""
    figures = ProjectFigures()
    applied = _project_rows(session, Project.apply_year == year, *conditions)
    figures.applied = _group_projects(applied, None)
    figures.applied_by_level = _group_projects(applied, 1)
    approved = _project_rows(session, approved_clause(year, through), *conditions)
    figures.approved = _group_projects(approved, None)
    figures.approved_by_level = _group_projects(approved, 1)
    figures.approved_by_category = _group_projects(approved, 2)
    figures.approved_list = [(r[0], r[4] or "", r[1] or "", r[3]) for r in approved]
    midterm = _project_rows(session, _in_year(Project.midterm_on, year, through), *conditions)
    figures.midterm = _group_projects(midterm, None)
    accepted = _project_rows(session, _in_year(Project.accepted_on, year, through), *conditions)
    figures.accepted = _group_projects(accepted, None)
    return figures


# --- awards and events ---------------------------------------------------------------------------------


def award_figures(session: Session, year: int) -> AwardFigures:
    """Awards with 获奖年度 Y, by 奖励级别, then 奖项名称 and 奖励等级."""
    figures = AwardFigures()
    stmt = (
        select(Award.level, Award.award_name, Award.grade, Enterprise.name)
        .outerjoin(Enterprise, Enterprise.id == Award.unit_id)
        .where(_live(Award), Award.year == year)
        .order_by(Award.title_sort)
    )
    for level, name, grade, unit in session.execute(stmt):
        figures.total += 1
        group = figures.by_level.setdefault(level, Group())
        group.count += 1
        if unit and unit not in group.names:  # an award without a unit names no one
            group.names.append(unit)
        key = (level, name or "", grade or "")
        figures.by_level_name_grade[key] = figures.by_level_name_grade.get(key, 0) + 1
    return figures


def event_figures(session: Session, year: int, through: dt.date | None = None) -> EventFigures:
    """Events starting in Y (up to `through`): how many, 人次 and 作品数, by 活动类型."""
    figures = EventFigures()
    stmt = (
        select(Event.event_type, Event.name, Event.participants, Event.works)
        .where(_live(Event), _in_year(Event.start_on, year, through))
        .order_by(Event.participants.desc().nulls_last(), Event.name_sort)
    )
    for kind, name, people, works in session.execute(stmt):
        figures.count += 1
        figures.participants += people or 0
        figures.works += works or 0
        group = figures.by_type.setdefault(kind, Group())
        group.count += 1
        group.names.append(name)
        figures.participants_by_type[kind] = figures.participants_by_type.get(kind, 0) + (people or 0)
        figures.works_by_type[kind] = figures.works_by_type.get(kind, 0) + (works or 0)
    return figures


def year_figures(session: Session, year: int, through: dt.date | None = None) -> YearFigures:
    """All figures of year Y; with `through`, what dated records give from 1 January to that day.

    Figures counted by a year alone (认定年度, 申报年度, 获奖年度) have no day inside the year: `through`
    leaves them whole (DATED_INDICATORS names the 指标 it does cut).
    """
    agriculture = Project.tech_field == fields.TECH_AGRICULTURE
    return YearFigures(
        year=year,
        patents=patent_figures(session, year, through),
        qualifications=qualification_figures(session, year),
        projects=project_figures(session, year, through=through),
        agri_projects=project_figures(session, year, agriculture, through=through),
        awards=award_figures(session, year),
        events=event_figures(session, year, through),
        population=_targets(session, year).get(fields.INDICATOR_POPULATION, (None, None))[1],
    )


# --- indicators ------------------------------------------------------------------------------------------


def computed_indicators(figures: YearFigures) -> dict[str, Decimal | int | None]:
    """The computed 指标 of DESIGN §3 and §5, by their exact names (None: an input is missing)."""
    hightech = figures.qualifications.new.get(fields.CATEGORY_HIGH_TECH, Group())
    valid = figures.qualifications.valid
    values = {
        fields.INDICATOR_PATENT_APPLICATIONS: figures.patents.applications,
        fields.INDICATOR_INVENTION_APPLICATIONS: figures.patents.by_type.get(fields.PATENT_INVENTION, 0),
        fields.INDICATOR_ENTERPRISE_APPLICATIONS: figures.patents.enterprise,
        fields.INDICATOR_PATENT_GRANTS: figures.patents.grants,
        fields.INDICATOR_NEW_HIGH_TECH: hightech.count,
        fields.INDICATOR_PROJECTS_APPLIED: figures.projects.applied.count,
        fields.INDICATOR_PROJECTS_APPROVED: figures.projects.approved.count,
        fields.INDICATOR_PROJECT_FUNDING: figures.projects.approved.amount,
        fields.INDICATOR_AWARDS: figures.awards.total,
        fields.INDICATOR_EVENTS: figures.events.count,
        fields.INDICATOR_INVENTION_GRANTS: figures.patents.grants_by_type.get(fields.PATENT_INVENTION, 0),
        fields.INDICATOR_VALID_INVENTIONS: figures.patents.valid_inventions,
        fields.INDICATOR_INVENTIONS_PER_10K: per_10k(figures.patents.valid_inventions, figures.population),
        fields.INDICATOR_VALID_HIGH_TECH: valid.get(fields.CATEGORY_HIGH_TECH, Group()).count,
        fields.INDICATOR_VALID_SMALL_TECH: valid.get(fields.CATEGORY_SMALL_TECH, Group()).count,
    }
    return values


def per_10k(count: int, population: Decimal | None) -> Decimal | None:
    """`count` per 10,000 residents, 2 decimals; None without a (positive) population in 万人."""
    if not population or population <= 0:
        return None
    return half_up(Decimal(count) / Decimal(population), 2)


# The computed 指标 whose records fall on a day of the year (申请日, 授权日, 立项日期, 开始日期): they have a
# value as of a date, so a year can be set against last year at the same date. 立项 without a 立项日期
# counts by its 申报年度 whatever the date.
DATED_INDICATORS = (
    fields.INDICATOR_PATENT_APPLICATIONS,
    fields.INDICATOR_INVENTION_APPLICATIONS,
    fields.INDICATOR_ENTERPRISE_APPLICATIONS,
    fields.INDICATOR_PATENT_GRANTS,
    fields.INDICATOR_INVENTION_GRANTS,
    fields.INDICATOR_PROJECTS_APPROVED,
    fields.INDICATOR_PROJECT_FUNDING,
    fields.INDICATOR_EVENTS,
)


def patent_applications_by_month(session: Session, *years: int) -> dict[int, list[int]]:
    """专利申请量 of each month (申请日) of the years given: twelve numbers per year, January first."""
    year_of, month_of = func.extract("year", Patent.filed_on), func.extract("month", Patent.filed_on)
    span = and_(Patent.filed_on >= dt.date(min(years), 1, 1), Patent.filed_on < dt.date(max(years) + 1, 1, 1))
    stmt = select(year_of, month_of, func.count()).where(_live(Patent), span).group_by(year_of, month_of)
    counts = {year: [0] * 12 for year in years}
    for year, month, n in session.execute(stmt):
        if int(year) in counts:
            counts[int(year)][int(month) - 1] = n
    return counts


def indicators(
    session: Session, year: int, figures: YearFigures | None = None, previous: YearFigures | None = None
) -> list[Indicator]:
    """Every 指标 of year Y beside its target and last year's value, computed ones first."""
    figures = figures or year_figures(session, year)
    previous = previous or year_figures(session, year - 1)
    now, before = computed_indicators(figures), computed_indicators(previous)
    targets = _targets(session, year)
    prior_targets = _targets(session, year - 1)
    result = [
        Indicator(name, now[name], targets.pop(name, (None, None))[0], before[name])
        for name in fields.COMPUTED_INDICATORS
    ]
    _explain_missing(result, figures)
    for name, (target, actual) in sorted(targets.items()):
        prior = prior_targets.get(name, (None, None))[1]
        result.append(Indicator(name, actual, target, prior, manual=True))
    return result


def _explain_missing(result: list[Indicator], figures: YearFigures) -> None:
    """每万人口发明专利拥有量 without a population is left out, and the clerk is told which row to enter.

    A population entered as 0 is told apart from one never entered: the row is there, its value is wrong.
    """
    per_10k_indicator = next(i for i in result if i.name == fields.INDICATOR_INVENTIONS_PER_10K)
    if per_10k_indicator.value is None and figures.patents.valid_inventions:
        sentence = messages.NO_POPULATION if figures.population is None else messages.ZERO_POPULATION
        per_10k_indicator.notice = sentence.format(
            year=figures.year, indicator=per_10k_indicator.name, population=fields.INDICATOR_POPULATION
        )


def _targets(session: Session, year: int) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    stmt = select(Target.indicator, Target.target_value, Target.actual_value).where(
        _live(Target), Target.year == year
    )
    return {name: (target, actual) for name, target, actual in session.execute(stmt)}


# --- intellectual-property programmes (added for the report) ------------------------------------------

IP_CATEGORY_WORDS = ("专利", "知识产权")


def ip_project_figures(session: Session, year: int) -> ProjectFigures:
    """Projects of a 计划类别 naming 专利 or 知识产权: applied, approved with 财政资助, checked in Y."""
    condition = or_(*(Project.plan_category.contains(word) for word in IP_CATEGORY_WORDS))
    return project_figures(session, year, condition)
