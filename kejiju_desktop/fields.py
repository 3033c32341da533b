"""Field specifications, declared once per entity; table, form, Excel and report all read them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kejiju_desktop import validation

# Kinds of field; widgets, parsers and Excel formats are chosen by kind.
TEXT, MEMO, CHOICE, INT, YEAR, DATE, MONEY, UNIT = (
    "text", "memo", "choice", "int", "year", "date", "money", "unit",
)  # fmt: skip
CREDIT_CODE, APP_NO, CERT_NO = "credit_code", "app_no", "cert_no"

LEVELS = ("国家", "省", "市", "县")
# The bureau's own administrative division (the 行政区划 setting): the report says 全县/全区/全市.
DIVISIONS = ("县", "区", "市")
LEVEL_SYNONYMS = {
    "国家级": "国家", "省级": "省", "市级": "市", "县级": "县", "区县级": "县", "区级": "县",
    "部级": "国家", "中央": "国家",
}  # fmt: skip


@dataclass(frozen=True)
class FieldSpec:
    """One column of one table: how it is labelled, typed, checked, shown and exchanged."""

    key: str
    label: str
    kind: str = TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    synonyms: Mapping[str, str] = field(default_factory=dict)
    width: int = 100
    max_length: int = 200
    default: Any = None
    choice_list: str | None = None  # an editable list kept in the file's settings
    searchable: bool = False
    sort_key: str | None = None  # stored pinyin key this column sorts by
    header_synonyms: tuple[str, ...] = ()
    in_table: bool = True

    @property
    def excel_header(self) -> str:
        return self.label

    def parse(self, raw: object, choices: tuple[str, ...] | None = None) -> Any:
        """Typed value from a form or a cell; raises validation.Invalid with a Chinese sentence."""
        validation.check_storable(raw, self.label)
        parser = _PARSERS.get(self.kind, _parse_text)
        value = parser(self, raw, choices)
        if self.required and (value is None or value == ""):
            raise validation.Invalid(validation.MSG_REQUIRED.format(label=self.label))
        return value

    @staticmethod
    def choice_text(raw: object) -> str:
        """A value as it is compared with the choices (and kept when an editable list takes it)."""
        return validation.normalize_text(raw).replace(" ", "")

    def canonical_choice(self, raw: str, choices: tuple[str, ...] | None = None) -> str | None:
        """The choice a value or one of its synonyms stands for, or None."""
        allowed = choices if choices is not None else self.choices
        text = self.choice_text(raw)
        if text in allowed:
            return text
        mapped = self.synonyms.get(text)
        return mapped if mapped in allowed else None


_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")


def _parse_text(spec: FieldSpec, raw: object, _choices) -> str | None:
    text = "" if raw is None else str(raw).strip()
    if spec.kind != MEMO:  # a line break typed into a one-line cell (Alt+Enter) reads as a space
        text = _LINE_BREAKS.sub(" ", text)
        text = validation.normalize_text(text) if text.isascii() else text
    validation.check_length(text, spec.label, spec.max_length)
    validation.check_control_chars(text, spec.label, multiline=spec.kind == MEMO)
    return text or None


def _parse_choice(spec: FieldSpec, raw: object, choices) -> str | None:
    text = validation.normalize_text(raw)
    if not text:
        return None
    allowed = choices if choices is not None else spec.choices
    value = spec.canonical_choice(text, allowed)
    if value is None:
        raise validation.Invalid(
            validation.MSG_CHOICE.format(label=spec.label, value=text, choices="、".join(allowed))
        )
    return value


def _parse_optional(check: Callable[[str, str], str]) -> Callable:
    def parse(spec: FieldSpec, raw: object, _choices) -> str | None:
        text = validation.normalize_text(raw)
        return check(text, spec.label) if text else None

    return parse


_PARSERS: dict[str, Callable] = {
    TEXT: _parse_text,
    MEMO: _parse_text,
    CHOICE: _parse_choice,
    INT: lambda s, raw, _c: validation.parse_int(raw, s.label),
    YEAR: lambda s, raw, _c: validation.parse_year(raw, s.label),
    DATE: lambda s, raw, _c: validation.parse_date(raw, s.label),
    MONEY: lambda s, raw, _c: validation.parse_money(raw, s.label),
    UNIT: lambda s, raw, _c: raw if raw not in ("", None) else None,
    CREDIT_CODE: _parse_optional(validation.check_credit_code),
    APP_NO: _parse_optional(validation.check_app_no),
    CERT_NO: _parse_optional(validation.check_cert_no),
}


def _date_order(earlier: str, later: str, instead: str | None = None) -> Callable:
    """`later` may not come before `earlier` (or before `instead` when `earlier` is empty)."""

    def rule(entity: EntitySpec, values: Mapping[str, Any]) -> list[validation.Problem]:
        first = earlier if values.get(earlier) is not None or instead is None else instead
        if validation.check_date_order(values.get(first), values.get(later)):
            msg = validation.MSG_DATE_ORDER.format(
                later=entity.field(later).label, earlier=entity.field(first).label
            )
            return [validation.Problem(later, validation.ERROR, msg)]
        return []

    return rule


def _patent_type_agrees(entity: EntitySpec, values: Mapping[str, Any]) -> list[validation.Problem]:
    app_no, kind = values.get("app_no"), values.get("patent_type")
    if not app_no or not kind:
        return []
    expected = validation.patent_type_of(app_no)
    if expected and expected != kind:
        label = entity.field("app_no").label
        msg = validation.MSG_APP_TYPE.format(label=label, value=app_no, expected=expected, actual=kind)
        return [validation.Problem("patent_type", validation.ERROR, msg)]
    return []


def _cert_form_for_high_tech(entity: EntitySpec, values: Mapping[str, Any]) -> list[validation.Problem]:
    """Only 高新技术企业 certificates have the GR/GF form; other categories take any number."""
    cert_no = values.get("cert_no")
    if values.get("category") != "高新技术企业" or not cert_no:
        return []
    try:
        validation.check_cert_no(cert_no, entity.field("cert_no").label)
    except validation.Invalid as exc:
        return [validation.Problem("cert_no", exc.severity, exc.message)]
    return []


# Looks up a live unit's id by its exact name; None where no unit may be looked up (the form as typed).
UnitNamed = Callable[[str], int | None] | None


@dataclass(frozen=True)
class Derivation:
    """A value the clerk need not type: `key` is filled from `sources` when left empty."""

    key: str
    sources: tuple[str, ...]
    compute: Callable[[Mapping[str, Any], UnitNamed], Any]  # the value, or None to leave it empty
    as_typed: bool = False  # the form fills it in while the clerk types, not only when saving


def _type_from_app_no(values: Mapping[str, Any], _unit_named: UnitNamed) -> str | None:
    return validation.patent_type_of(values["app_no"])


def _unit_named_as_applicant(values: Mapping[str, Any], unit_named: UnitNamed) -> int | None:
    return unit_named(values["applicant"]) if unit_named is not None else None


def _high_tech_valid_until(values: Mapping[str, Any], _unit_named: UnitNamed) -> dt.date | None:
    return default_valid_until(values["category"], values["certified_on"])


@dataclass(frozen=True)
class ChildSpec:
    """Records of another kind listed and edited beside a record's form (资质认定 beside 企业)."""

    table: str  # the child entity
    key: str  # its column holding the parent record's id


@dataclass(frozen=True)
class EntitySpec:
    """One kind of record: its table and fields (by name), its keys."""

    table: str
    label: str
    fields: tuple[FieldSpec, ...]
    display_key: str
    year_key: str | None
    default_sort: str
    unique_keys: tuple[str, ...] = ()
    duplicate_keys: tuple[tuple[str, ...], ...] = ()
    rules: tuple[Callable, ...] = ()
    # Entity hooks: how the screens lay this kind of record out with the others.
    children: tuple[ChildSpec, ...] = ()
    form_columns: int = 3
    # Hooks generic code calls instead of testing the table's name.
    derive: tuple[Derivation, ...] = ()
    unique_together: tuple[str, ...] = ()  # a live-unique key of several fields, beside unique_keys

    def field(self, key: str) -> FieldSpec:
        for spec in self.fields:
            if spec.key == key:
                return spec
        raise KeyError(key)

    def has_field(self, key: str) -> bool:
        return any(spec.key == key for spec in self.fields)

    @property
    def table_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.in_table)

    @property
    def search_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.searchable)

    @property
    def unit_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.kind == UNIT)

    @property
    def unique_key_sets(self) -> tuple[tuple[str, ...], ...]:
        """Every live-unique key: each single field, then the combined one."""
        single = tuple((key,) for key in self.unique_keys)
        return single + ((self.unique_together,) if self.unique_together else ())

    def fill_derived(self, values: dict[str, Any], unit_named: UnitNamed) -> None:
        """Fill the empty fields the spec derives from others (专利类型 from 申请号, 关联单位…)."""
        for rule in self.derive:
            if values.get(rule.key) or not all(values.get(key) for key in rule.sources):
                continue
            value = rule.compute(values, unit_named)
            if value is not None:
                values[rule.key] = value


def _f(key: str, label: str, kind: str = TEXT, **kw: Any) -> FieldSpec:
    return FieldSpec(key, label, kind, **kw)


def _choice(key: str, label: str, choices: tuple[str, ...], **kw: Any) -> FieldSpec:
    return FieldSpec(key, label, CHOICE, choices=choices, **kw)


def _level(key: str, label: str, **kw: Any) -> FieldSpec:
    return _choice(key, label, LEVELS, synonyms=LEVEL_SYNONYMS, width=60, **kw)


UNIT_TYPES = ("企业", "高校", "科研院所", "机关事业单位", "社会组织", "其他")
QUALIFICATION_CATEGORIES = (
    "高新技术企业", "科技型中小企业", "创新型企业", "工程技术研究中心", "产学研联合实验室",
    "技术创新联盟", "院士工作站", "科技企业孵化器", "科普基地", "知识产权试点示范", "其他",
)  # fmt: skip
QUALIFICATION_STATES = ("申报中", "已认定", "未通过", "已过期", "已撤销")
TECH_FIELDS = ("工业", "农业", "社会发展", "高新技术", "软科学", "其他")
PROJECT_STATES = ("申报中", "已立项", "未立项", "实施中", "中期检查", "已验收", "已终止")
DEFAULT_PLAN_CATEGORIES = (
    "国家科技支撑计划", "科技型中小企业技术创新基金", "战略性新兴产业发展资金", "重大科技成果转化专项",
    "企业自主创新项目", "科技示范推广专项", "科技创新产业链示范工程", "专利实施与促进专项",
    "科技富民强县专项", "农业科技成果转化", "软科学研究", "其他",
)  # fmt: skip
PATENT_TYPES = ("发明", "实用新型", "外观设计")
APPLICANT_TYPES = ("企业", "个人", "高校院所", "机关团体")
PATENT_STATES = ("已受理", "已授权", "已驳回", "已撤回", "已失效")
AWARD_NAMES = ("科学技术进步奖", "技术发明奖", "自然科学奖", "专利奖", "其他")
AWARD_GRADES = ("特等奖", "一等奖", "二等奖", "三等奖", "金奖", "银奖", "优秀奖", "不分等级")
EVENT_TYPES = (
    "科普活动", "科技活动周", "科技之春", "全国科普日", "竞赛评比", "讲座培训", "会议论坛",
    "对接推介", "专家咨询", "执法检查", "其他",
)  # fmt: skip
COMPUTED_INDICATORS = (
    "专利申请量", "发明专利申请量", "企业专利申请量", "专利授权量", "新认定高新技术企业",
    "申报项目数", "立项项目数", "争取项目资金(万元)", "科技奖励数", "科技活动次数",
    # The assessment indicators (DESIGN §5, "Every county"), counted at the end of the year.
    "发明专利授权量", "有效发明专利", "每万人口发明专利拥有量", "有效高新技术企业", "有效科技型中小企业",
)  # fmt: skip
# Manual 指标 a computed one needs: the clerk enters its 实际值 per year as a 年度目标 row.
INPUT_INDICATORS = ("年末常住人口(万人)",)

# Names of the choice values and 指标 above, for code that tests or sets one (each value is typed once).
LEVEL_NATIONAL, LEVEL_PROVINCE, LEVEL_CITY, LEVEL_COUNTY = LEVELS
DIVISION_COUNTY, DIVISION_DISTRICT, DIVISION_CITY = DIVISIONS
UNIT_ENTERPRISE, UNIT_UNIVERSITY, UNIT_INSTITUTE, UNIT_PUBLIC_BODY, UNIT_SOCIETY, UNIT_OTHER = UNIT_TYPES
(
    CATEGORY_HIGH_TECH, CATEGORY_SMALL_TECH, CATEGORY_INNOVATIVE, CATEGORY_ENGINEERING_CENTRE,
    CATEGORY_RESEARCH_LAB, CATEGORY_ALLIANCE, CATEGORY_ACADEMICIAN, CATEGORY_INCUBATOR,
    CATEGORY_POPULAR_BASE, CATEGORY_IP_PILOT, CATEGORY_OTHER,
) = QUALIFICATION_CATEGORIES  # fmt: skip
(
    QUALIFICATION_APPLYING, QUALIFICATION_CERTIFIED, QUALIFICATION_REJECTED, QUALIFICATION_EXPIRED,
    QUALIFICATION_REVOKED,
) = QUALIFICATION_STATES  # fmt: skip
TECH_INDUSTRY, TECH_AGRICULTURE, TECH_SOCIAL, TECH_HIGH_TECH, TECH_SOFT_SCIENCE, TECH_OTHER = TECH_FIELDS
(
    PROJECT_APPLYING, PROJECT_APPROVED, PROJECT_NOT_APPROVED, PROJECT_UNDER_WAY, PROJECT_MIDTERM,
    PROJECT_ACCEPTED, PROJECT_ENDED,
) = PROJECT_STATES  # fmt: skip
PATENT_INVENTION, PATENT_UTILITY_MODEL, PATENT_DESIGN = PATENT_TYPES
APPLICANT_ENTERPRISE, APPLICANT_PERSON, APPLICANT_ACADEMIC, APPLICANT_PUBLIC_BODY = APPLICANT_TYPES
PATENT_FILED, PATENT_GRANTED, PATENT_REJECTED, PATENT_WITHDRAWN, PATENT_LAPSED = PATENT_STATES
(
    GRADE_SPECIAL, GRADE_FIRST, GRADE_SECOND, GRADE_THIRD, GRADE_GOLD, GRADE_SILVER, GRADE_MERIT,
    GRADE_NONE,
) = AWARD_GRADES  # fmt: skip
(
    EVENT_POPULAR, EVENT_SCIENCE_WEEK, EVENT_SCIENCE_SPRING, EVENT_SCIENCE_DAY, EVENT_CONTEST,
    EVENT_LECTURE, EVENT_FORUM, EVENT_MATCHMAKING, EVENT_EXPERT, EVENT_INSPECTION, EVENT_OTHER,
) = EVENT_TYPES  # fmt: skip
(
    INDICATOR_PATENT_APPLICATIONS, INDICATOR_INVENTION_APPLICATIONS, INDICATOR_ENTERPRISE_APPLICATIONS,
    INDICATOR_PATENT_GRANTS, INDICATOR_NEW_HIGH_TECH, INDICATOR_PROJECTS_APPLIED,
    INDICATOR_PROJECTS_APPROVED, INDICATOR_PROJECT_FUNDING, INDICATOR_AWARDS, INDICATOR_EVENTS,
    INDICATOR_INVENTION_GRANTS, INDICATOR_VALID_INVENTIONS, INDICATOR_INVENTIONS_PER_10K,
    INDICATOR_VALID_HIGH_TECH, INDICATOR_VALID_SMALL_TECH,
) = COMPUTED_INDICATORS  # fmt: skip
(INDICATOR_POPULATION,) = INPUT_INDICATORS

ENTERPRISES = EntitySpec(
    table="enterprises",
    label="企业",
    fields=(
        _f(
            "name",
            "单位名称",
            required=True,
            width=220,
            searchable=True,
            sort_key="name_sort",
            header_synonyms=("企业名称", "单位"),
        ),
        _choice(
            "unit_type",
            "单位类型",
            UNIT_TYPES,
            default="企业",
            width=90,
            synonyms={"公司": "企业", "大学": "高校", "院所": "科研院所", "研究院": "科研院所"},
        ),
        _f(
            "credit_code",
            "统一社会信用代码",
            CREDIT_CODE,
            width=170,
            searchable=True,
            header_synonyms=("信用代码", "社会信用代码"),
        ),
        _f("town", "所在镇街/园区", width=110, searchable=True, header_synonyms=("所在镇街", "镇街")),
        _f("industry", "所属行业", width=100),
        _f("address", "地址", width=180, in_table=False),
        _f("legal_rep", "法定代表人", width=80, in_table=False),
        _f("contact", "联系人", width=80),
        _f("phone", "联系电话", width=110),
        _f("founded_on", "成立日期", DATE, width=95, in_table=False),
        _f("staff_count", "职工人数", INT, width=70, in_table=False),
        _f("note", "备注", MEMO, width=150, max_length=2000, in_table=False),
    ),  # fmt: skip
    display_key="name",
    year_key=None,
    default_sort="name",
    unique_keys=("name", "credit_code"),
    duplicate_keys=(("credit_code",), ("name",)),
    children=(ChildSpec("qualifications", "unit_id"),),
    form_columns=2,
)

QUALIFICATIONS = EntitySpec(
    table="qualifications",
    label="资质认定",
    fields=(
        _f("unit_id", "单位名称", UNIT, required=True, width=200),
        _choice(
            "category",
            "资质类别",
            QUALIFICATION_CATEGORIES,
            required=True,
            width=120,
            synonyms={
                "高企": "高新技术企业",
                "国家高新技术企业": "高新技术企业",
                "科技型中小": "科技型中小企业",
                "工程技术中心": "工程技术研究中心",
            },
        ),
        _level("level", "级别"),
        _f("cert_no", "证书编号", width=130, searchable=True),
        _f("year", "认定年度", YEAR, required=True, width=70),
        _f("certified_on", "认定日期", DATE, width=95),
        _f("valid_until", "有效期至", DATE, width=95),
        _choice(
            "status",
            "状态",
            QUALIFICATION_STATES,
            default="已认定",
            width=70,
            synonyms={"认定": "已认定", "通过": "已认定", "过期": "已过期", "撤销": "已撤销"},
        ),
        _f("note", "备注", MEMO, width=150, max_length=2000, in_table=False),
    ),  # fmt: skip
    display_key="category",
    year_key="year",
    default_sort="year",
    duplicate_keys=(("unit_id", "category", "year"),),
    rules=(_date_order("certified_on", "valid_until"), _cert_form_for_high_tech),
    derive=(Derivation("valid_until", ("category", "certified_on"), _high_tech_valid_until),),
)

PROJECTS = EntitySpec(
    table="projects",
    label="项目",
    fields=(
        _f("code", "项目编号", width=110, searchable=True),
        _f(
            "name",
            "项目名称",
            required=True,
            width=260,
            max_length=300,
            searchable=True,
            sort_key="name_sort",
        ),
        _level("level", "项目级别", required=True),
        _choice(
            "plan_category", "计划类别", DEFAULT_PLAN_CATEGORIES, width=160, choice_list="plan_categories"
        ),
        _choice("tech_field", "技术领域", TECH_FIELDS, width=80),
        _f("unit_id", "承担单位", UNIT, width=200),
        _f("leader", "项目负责人", width=80, searchable=True, header_synonyms=("负责人",)),
        _f("apply_year", "申报年度", YEAR, required=True, width=70, header_synonyms=("年度",)),
        _choice(
            "status",
            "项目状态",
            PROJECT_STATES,
            default="申报中",
            width=80,
            synonyms={"立项": "已立项", "验收": "已验收", "在研": "实施中", "终止": "已终止"},
        ),
        _f("approved_on", "立项日期", DATE, width=95),
        _f("midterm_on", "中期检查日期", DATE, width=95, in_table=False),
        _f("accepted_on", "验收日期", DATE, width=95, in_table=False),
        _f(
            "funding",
            "财政资助(万元)",
            MONEY,
            width=100,
            header_synonyms=("财政资助", "资助金额", "资助金额(万元)"),
        ),
        _f("self_funding", "自筹资金(万元)", MONEY, width=100, in_table=False, header_synonyms=("自筹资金",)),
        _f("start_on", "开始日期", DATE, width=95, in_table=False),
        _f("end_on", "结束日期", DATE, width=95, in_table=False),
        _f("note", "备注", MEMO, width=150, max_length=2000, in_table=False),
    ),  # fmt: skip
    display_key="name",
    year_key="apply_year",
    default_sort="apply_year",
    unique_keys=("code",),
    duplicate_keys=(("code",), ("name", "apply_year")),
    rules=(_date_order("start_on", "end_on"), _date_order("approved_on", "accepted_on")),
)

PATENTS = EntitySpec(
    table="patents",
    label="专利",
    fields=(
        _f("app_no", "申请号", APP_NO, width=130, searchable=True, header_synonyms=("专利申请号", "专利号")),
        _f(
            "title",
            "专利名称",
            required=True,
            width=260,
            max_length=300,
            searchable=True,
            sort_key="title_sort",
            header_synonyms=("名称", "发明名称"),
        ),
        _choice(
            "patent_type",
            "专利类型",
            PATENT_TYPES,
            required=True,
            width=80,
            synonyms={
                "发明专利": "发明",
                "实用新型专利": "实用新型",
                "外观设计专利": "外观设计",
                "新型": "实用新型",
                "外观": "外观设计",
            },
        ),
        _f(
            "applicant",
            "申请人",
            required=True,
            width=200,
            searchable=True,
            header_synonyms=("申请人名称", "专利权人"),
        ),
        _choice(
            "applicant_type",
            "申请人类型",
            APPLICANT_TYPES,
            width=80,
            synonyms={
                "公司": "企业",
                "工矿企业": "企业",
                "大专院校": "高校院所",
                "高校": "高校院所",
                "科研单位": "高校院所",
                "机关": "机关团体",
                "个人非职务": "个人",
            },
        ),
        _f("unit_id", "关联单位", UNIT, width=180, in_table=False),
        _f("filed_on", "申请日", DATE, required=True, width=95, header_synonyms=("申请日期",)),
        _f("granted_on", "授权日", DATE, width=95, header_synonyms=("授权日期", "授权公告日")),
        _choice(
            "legal_status",
            "法律状态",
            PATENT_STATES,
            default="已受理",
            width=75,
            synonyms={
                "受理": "已受理",
                "授权": "已授权",
                "驳回": "已驳回",
                "撤回": "已撤回",
                "失效": "已失效",
                "有效": "已授权",
            },
        ),
        _f("lapsed_on", "失效日", DATE, width=95, header_synonyms=("失效日期",)),
        _f("inventors", "发明人", width=140, searchable=True),
        _f("note", "备注", MEMO, width=150, max_length=2000, in_table=False),
    ),  # fmt: skip
    display_key="title",
    year_key="filed_on",
    default_sort="filed_on",
    unique_keys=("app_no",),
    duplicate_keys=(("app_no",), ("title", "applicant", "filed_on")),
    rules=(
        _date_order("filed_on", "granted_on"),
        _patent_type_agrees,
        _date_order("granted_on", "lapsed_on", instead="filed_on"),
    ),
    derive=(
        Derivation("patent_type", ("app_no",), _type_from_app_no, as_typed=True),
        Derivation("unit_id", ("applicant",), _unit_named_as_applicant),
    ),
)

AWARDS = EntitySpec(
    table="awards",
    label="奖励",
    fields=(
        _f(
            "title",
            "成果名称",
            required=True,
            width=260,
            max_length=300,
            searchable=True,
            sort_key="title_sort",
            header_synonyms=("项目名称",),
        ),
        _choice(
            "award_name",
            "奖项名称",
            AWARD_NAMES,
            default="科学技术进步奖",
            width=110,
            synonyms={"科技进步奖": "科学技术进步奖", "科学技术奖": "科学技术进步奖"},
        ),
        _level("level", "奖励级别", required=True),
        _choice(
            "grade",
            "奖励等级",
            AWARD_GRADES,
            width=75,
            synonyms={
                "一等": "一等奖",
                "二等": "二等奖",
                "三等": "三等奖",
                "优秀": "优秀奖",
                "特等": "特等奖",
            },
        ),
        _f("year", "获奖年度", YEAR, required=True, width=70, header_synonyms=("年度",)),
        _f("unit_id", "完成单位", UNIT, width=200),
        _f("winners", "主要完成人", width=160, searchable=True),
        _f("bonus", "配套奖励(万元)", MONEY, width=100, header_synonyms=("配套奖励",)),
        _f("note", "备注", MEMO, width=150, max_length=2000, in_table=False),
    ),  # fmt: skip
    display_key="title",
    year_key="year",
    default_sort="year",
    duplicate_keys=(("title", "year", "level"),),
)

EVENTS = EntitySpec(
    table="events",
    label="活动",
    fields=(
        _f(
            "name",
            "活动名称",
            required=True,
            width=260,
            max_length=300,
            searchable=True,
            sort_key="name_sort",
        ),
        _choice("event_type", "活动类型", EVENT_TYPES, default="科普活动", width=90),
        _f("start_on", "开始日期", DATE, required=True, width=95, header_synonyms=("日期", "活动日期")),
        _f("end_on", "结束日期", DATE, width=95),
        _f("place", "地点", width=140, searchable=True),
        _f("organizer", "主办单位", width=160, searchable=True),
        _f("participants", "参与人次", INT, width=75),
        _f("works", "作品/成果数", INT, width=80, header_synonyms=("作品数", "成果数")),
        _f("content", "活动内容", MEMO, width=200, max_length=4000, in_table=False, searchable=True),
        _f("note", "备注", MEMO, width=150, max_length=2000, in_table=False),
    ),  # fmt: skip
    display_key="name",
    year_key="start_on",
    default_sort="start_on",
    duplicate_keys=(("name", "start_on"),),
    rules=(_date_order("start_on", "end_on"),),
)

TARGETS = EntitySpec(
    table="targets",
    label="年度目标",
    fields=(
        _f("year", "年度", YEAR, required=True, width=70),
        _f("indicator", "指标", required=True, width=180, max_length=50, header_synonyms=("指标名称",)),
        _f("target_value", "目标值", MONEY, width=90),
        _f("actual_value", "实际值", MONEY, width=90),
        _f("note", "备注", MEMO, width=150, max_length=2000),
    ),  # fmt: skip
    display_key="indicator",
    year_key="year",
    default_sort="year",
    unique_keys=(),
    duplicate_keys=(("year", "indicator"),),
    unique_together=("year", "indicator"),
)

ENTITIES: dict[str, EntitySpec] = {
    e.table: e for e in (ENTERPRISES, QUALIFICATIONS, PROJECTS, PATENTS, AWARDS, EVENTS, TARGETS)
}
# The records every UNIT field points at (by id).
UNITS = ENTERPRISES
# The five tabs of the main window, in order.
TAB_TABLES = ("projects", "enterprises", "patents", "awards", "events")


def entity(table: str) -> EntitySpec:
    """The spec of a table named as on the command line (`patents`, `enterprises`…)."""
    return ENTITIES[table]


def default_valid_until(category: str | None, certified_on: dt.date | None) -> dt.date | None:
    """高新技术企业 certificates run three years less a day from 认定日期."""
    if category != "高新技术企业" or certified_on is None:
        return None
    try:
        end = certified_on.replace(year=certified_on.year + 3)
    except ValueError:  # 29 February
        end = certified_on.replace(year=certified_on.year + 3, day=28)
    return end - dt.timedelta(days=1)
