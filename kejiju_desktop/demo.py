"""Deterministic demo data for 2011–2013, shaped like the reference county report."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal

from sqlalchemy.orm import Session

from db.models import Award, Enterprise, Event, Patent, Project, Qualification, Target
from kejiju_desktop import fields, validation
from kejiju_desktop.services import settings
from kejiju_desktop.sorting import sort_key_for

YEARS = (2011, 2012, 2013)
STAMP = dt.datetime(2014, 1, 6, 9, 0, 0)
COUNTY = "示范县"

# Firms named after the kind in the reference report; "示范县" stands for the county.
FIRMS = (
    "四星液压", "高福记生物科技", "联余精密机械", "菲斯特化工", "成客股份", "老肯科技", "工投电子",
    "榕珍菌业", "苗夫科技", "东旭节能", "铁达电子", "红光机械", "徽记豆匠食品", "川味调味品",
    "蜀锦绣坊", "天府新材料", "金穗农业", "绿源生态", "华西制药", "博远信息", "恒通物流装备",
    "宏达电气", "科力机电", "润丰食品", "银河光电", "新希望饲料", "青城茶业", "锦程汽车配件",
    "德康医疗器械", "益民米业", "百川环保", "鑫源铸造", "华兴包装", "佳禾种业", "瑞丰塑业",
    "立信软件", "远大建材", "康达生物", "精工模具", "鸿运纺织", "南方泵业", "祥和家具",
    "安泰消防", "盛世印务", "嘉禾农机", "凯瑞化学", "中和菌业", "长青林业",
)  # fmt: skip
INSTITUTES = (
    ("示范县农业科学研究所", "科研院所"),
    ("示范职业技术学院", "高校"),
    ("示范县人民医院", "机关事业单位"),
    ("示范县科学技术协会", "社会组织"),
)
TOWNS = ("工业港", "安靖镇", "团结镇", "唐昌镇", "新民场镇", "友爱镇", "德源镇", "犀浦镇")
INDUSTRIES = ("装备制造", "食品加工", "电子信息", "生物医药", "新材料", "现代农业", "化工", "软件服务")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红"
PATENT_WORDS = (
    "液压缸", "密封装置", "调味酱", "豆瓣", "发酵工艺", "菌种", "控制系统", "检测装置", "节能灯",
    "消毒柜", "灭菌设备", "电路板", "连接器", "包装盒", "输送机", "模具", "泵体", "阀门", "饲料",
    "茶叶", "米粉", "刺绣针法", "绣架", "家具", "塑料管", "铸件", "过滤器", "传感器", "育苗盘",
)  # fmt: skip
PATENT_PREFIX = ("一种", "一种新型", "一种高效", "一种便携式", "一种环保型", "一种智能")


class _Maker:
    """Builds the demo records with one seeded random source, so every run gives the same file."""

    def __init__(self, session: Session):
        self.session = session
        self.rng = random.Random(20121231)
        self.units: list[Enterprise] = []
        self.serial = 0

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self, obj):
        obj.uid = self.uid()
        obj.created_at = obj.updated_at = STAMP
        obj.updated_by = "演示数据"
        self.session.add(obj)
        return obj

    def person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choices(GIVEN, k=self.rng.choice((1, 2))))

    def day(self, year: int, first_month: int = 1, last_month: int = 12) -> dt.date:
        month = self.rng.randint(first_month, last_month)
        return dt.date(year, month, self.rng.randint(1, 28))

    def credit_code(self) -> str:
        body = "91510124" + "".join(self.rng.choices(validation.CREDIT_CHARSET, k=9))
        return validation.make_credit_code(body)


def _add_units(m: _Maker) -> None:
    for i, firm in enumerate(FIRMS):
        suffix = "股份有限公司" if "股份" in firm else "有限公司"
        name = f"{COUNTY}{firm.removesuffix('股份')}{suffix}"
        unit = Enterprise(
            name=name, name_sort=sort_key_for(name), unit_type=fields.UNIT_ENTERPRISE, credit_code=m.credit_code(),
            town=TOWNS[i % len(TOWNS)], industry=INDUSTRIES[i % len(INDUSTRIES)],
            address=f"{COUNTY}{TOWNS[i % len(TOWNS)]}{m.rng.randint(1, 300)}号", legal_rep=m.person(),
            contact=m.person(), phone=f"028-8{m.rng.randint(1000000, 9999999)}",
            founded_on=m.day(m.rng.randint(1995, 2010)), staff_count=m.rng.randint(20, 800),
        )  # fmt: skip
        m.units.append(m.stamp(unit))
    for name, kind in INSTITUTES:
        unit = Enterprise(
            name=name, name_sort=sort_key_for(name), unit_type=kind, credit_code=m.credit_code(), town="县城"
        )
        m.units.append(m.stamp(unit))


def _qualification(
    m: _Maker, unit, category, level, year, status=fields.QUALIFICATION_CERTIFIED, months=(3, 11)
):
    certified = (
        m.day(year, *months)
        if status in (fields.QUALIFICATION_CERTIFIED, fields.QUALIFICATION_EXPIRED)
        else None
    )
    cert_no = None
    if category == fields.CATEGORY_HIGH_TECH and certified:
        m.serial += 1
        cert_no = f"GR{year}51{m.serial:06d}"
    q = Qualification(
        unit_id=unit.id, category=category, level=level, cert_no=cert_no, year=year,
        certified_on=certified, valid_until=fields.default_valid_until(category, certified), status=status,
    )  # fmt: skip
    return m.stamp(q)


CARRIER_PLAN = (
    # (认定年度, 资质类别, 级别, the units by their place in the demo's list)
    (2011, "工程技术研究中心", "市", (12, 13)),
    (2011, "技术创新联盟", "市", (13,)),
    (2011, "院士工作站", "省", (9,)),
    (2012, "工程技术研究中心", "市", (9, 8)),
    (2012, "产学研联合实验室", "市", (0, 1, 16)),
    (2012, "院士工作站", "省", (7,)),
    (2012, "科普基地", "县", (1, 9)),
    (2012, "知识产权试点示范", "省", (2,)),
    (2013, "工程技术研究中心", "省", (13,)),
    (2013, "科技企业孵化器", "县", (20,)),
    (2013, "科普基地", "市", (46,)),
)


def _add_qualifications(m: _Maker) -> None:
    firms = m.units[: len(FIRMS)]
    # 高新技术企业: certified 2008–2013; the 2009 batch expired at the end of 2011 but two stay marked 已认定.
    plan = {2008: firms[30:34], 2009: firms[20:26], 2010: firms[26:30], 2011: firms[8:14],
            2012: firms[0:8], 2013: firms[14:20]}  # fmt: skip
    for year, batch in plan.items():
        for unit in batch:
            q = _qualification(m, unit, fields.CATEGORY_HIGH_TECH, fields.LEVEL_NATIONAL, year)
            if year == 2009 and unit is batch[0]:
                q.status = fields.QUALIFICATION_EXPIRED
    for year, batch in plan.items():  # renewals of the 2009 batch in 2012
        if year == 2009:
            for unit in batch[2:5]:
                _qualification(
                    m, unit, fields.CATEGORY_HIGH_TECH, fields.LEVEL_NATIONAL, 2012, months=(10, 11)
                )
    for unit in firms[40:44]:
        _qualification(
            m,
            unit,
            fields.CATEGORY_HIGH_TECH,
            fields.LEVEL_NATIONAL,
            2012,
            status=fields.QUALIFICATION_APPLYING,
        )
    _qualification(
        m,
        firms[44],
        fields.CATEGORY_HIGH_TECH,
        fields.LEVEL_NATIONAL,
        2012,
        status=fields.QUALIFICATION_REJECTED,
    )
    for year, count in ((2011, 7), (2012, 15), (2013, 9)):
        for unit in m.rng.sample(firms, count):
            _qualification(m, unit, fields.CATEGORY_INNOVATIVE, fields.LEVEL_PROVINCE, year)
    for year, category, level, indexes in CARRIER_PLAN:
        for index in indexes:
            _qualification(m, m.units[index], category, level, year)
    for year in YEARS:
        for unit in m.rng.sample(firms, 12):
            _qualification(m, unit, fields.CATEGORY_SMALL_TECH, fields.LEVEL_PROVINCE, year)


PROJECT_PLAN = (
    # (申报年度, 级别, 计划类别, 技术领域, count, approved count, funding range 万元)
    (2011, "国家", "科技型中小企业技术创新基金", "高新技术", 5, 3, (60, 120)),
    (2011, "省", "重大科技成果转化专项", "工业", 6, 3, (50, 200)),
    (2011, "市", "企业自主创新项目", "工业", 10, 6, (10, 40)),
    (2011, "县", "农业科技成果转化", "农业", 6, 5, (3, 10)),
    (2012, "国家", "科技型中小企业技术创新基金", "高新技术", 8, 7, (70, 150)),
    (2012, "国家", "国家科技支撑计划", "农业", 1, 1, (120, 120)),
    (2012, "省", "战略性新兴产业发展资金", "高新技术", 3, 2, (200, 500)),
    (2012, "省", "重大科技成果转化专项", "工业", 6, 4, (100, 300)),
    (2012, "省", "科技示范推广专项", "社会发展", 2, 2, (20, 40)),
    (2012, "省", "科技创新产业链示范工程", "农业", 2, 2, (30, 60)),
    (2012, "省", "专利实施与促进专项", "工业", 8, 2, (10, 10)),
    (2012, "市", "企业自主创新项目", "工业", 12, 6, (20, 60)),
    (2012, "市", "农业科技成果转化", "农业", 4, 3, (10, 30)),
    (2012, "县", "科技富民强县专项", "农业", 5, 4, (5, 20)),
    (2013, "国家", "科技型中小企业技术创新基金", "高新技术", 6, 2, (80, 120)),
    (2013, "省", "重大科技成果转化专项", "工业", 7, 3, (100, 250)),
    (2013, "市", "企业自主创新项目", "工业", 9, 4, (20, 50)),
    (2013, "县", "农业科技成果转化", "农业", 4, 2, (5, 15)),
)
PROJECT_TOPICS = (
    "高端液压元件研发及产业化", "乳酸菌发酵调味品关键技术", "精密数控机床主轴研制", "环保型化工助剂开发",
    "医用消毒灭菌设备研制", "电子电气元件自动化生产线", "食用菌工厂化栽培示范", "地被植物繁育技术集成",
    "无极灯节能照明推广", "豆瓣生产关键技术集成创新", "杂交中稻持续丰产技术示范", "蜀绣数字化设计平台",
    "统筹城乡综合信息服务平台建设", "科技金融服务平台建设", "新型饲料添加剂研究", "农产品冷链物流技术",
)  # fmt: skip


def _short_name(unit: Enterprise) -> str:
    name = unit.name.removeprefix(COUNTY)
    for suffix in ("股份有限公司", "有限公司"):
        name = name.removesuffix(suffix)
    return name


def _unique_name(unit: Enterprise, topic: str, scope: object, taken: set[tuple[str, object]]) -> str:
    """The unit's short name and a topic, made unique within `scope` (a year, or year and level)."""
    name = f"{_short_name(unit)}{topic}"
    for phase in ("", "（二期）", "（三期）", "（四期）"):
        if (name + phase, scope) not in taken:
            taken.add((name + phase, scope))
            return name + phase
    return f"{name}（{len(taken)}）"


def _add_projects(m: _Maker) -> None:
    n = 0
    taken: set[tuple[str, int]] = set()
    for year, level, category, tech, count, approved, (low, high) in PROJECT_PLAN:
        for i in range(count):
            n += 1
            unit = m.rng.choice(
                m.units[:30]
                if tech != fields.TECH_AGRICULTURE
                else [m.units[k] for k in (7, 8, 12, 13, 32, 46, 48)]
            )
            topic = PROJECT_TOPICS[(n * 7) % len(PROJECT_TOPICS)]
            name = _unique_name(unit, topic, year, taken)
            p = Project(
                code=f"KJ{year}{level[0] if level != fields.LEVEL_NATIONAL else 'G'}{n:03d}", name=name,
                name_sort=sort_key_for(name), level=level, plan_category=category, tech_field=tech,
                unit_id=unit.id, leader=m.person(), apply_year=year,
            )  # fmt: skip
            _project_progress(m, p, year, i < approved, low, high)
            m.stamp(p)


def _project_progress(m: _Maker, p: Project, year: int, approved: bool, low: int, high: int) -> None:
    if not approved:
        p.status = fields.PROJECT_NOT_APPROVED if year < 2013 else fields.PROJECT_APPLYING
        return
    p.approved_on = m.day(year, 4, 10)
    p.funding = Decimal(m.rng.randint(low * 2, high * 2)) / 2
    p.self_funding = (p.funding * Decimal("1.5")).quantize(Decimal("0.01"))
    p.start_on = p.approved_on
    p.end_on = p.approved_on.replace(year=p.approved_on.year + 2)
    p.status = fields.PROJECT_UNDER_WAY
    if year <= 2012:
        p.midterm_on = m.day(year + 1, 3, 6)
        p.status = fields.PROJECT_MIDTERM
    if year == 2011:
        p.accepted_on = m.day(2012, 9, 12)
        p.status = fields.PROJECT_ACCEPTED


PATENTS_PER_YEAR = {2011: 260, 2012: 380, 2013: 420}
TYPE_WEIGHTS = (("发明", 1, 18), ("实用新型", 2, 58), ("外观设计", 3, 24))
APPLICANT_WEIGHTS = (("企业", 72), ("个人", 18), ("高校院所", 7), ("机关团体", 3))


def _add_patents(m: _Maker) -> None:
    serial = 0
    institute = {
        fields.APPLICANT_ACADEMIC: m.units[len(FIRMS) + 1],
        fields.APPLICANT_PUBLIC_BODY: m.units[len(FIRMS) + 2],
    }
    for year, count in PATENTS_PER_YEAR.items():
        for _ in range(count):
            serial += 1
            kind, digit, _w = m.rng.choices(TYPE_WEIGHTS, weights=[w for *_x, w in TYPE_WEIGHTS])[0]
            applicant_type = m.rng.choices(*zip(*APPLICANT_WEIGHTS, strict=True))[0]
            unit = (
                m.rng.choice(m.units[: len(FIRMS)])
                if applicant_type == fields.APPLICANT_ENTERPRISE
                else institute.get(applicant_type)
            )
            applicant = unit.name if unit is not None else m.person()
            filed = m.day(year)
            title = m.rng.choice(PATENT_PREFIX) + m.rng.choice(PATENT_WORDS)
            p = Patent(
                app_no=validation.make_app_no(year, digit, 10000 + serial * 37), title=title, title_sort=sort_key_for(title),
                patent_type=kind, applicant=applicant, applicant_type=applicant_type,
                unit_id=unit.id if unit is not None else None, filed_on=filed,
                inventors="、".join(m.person() for _ in range(m.rng.randint(1, 3))), legal_status=fields.PATENT_FILED,
            )  # fmt: skip
            _grant(m, p, filed, kind)
            _lapse(p, serial)
            m.stamp(p)


def _grant(m: _Maker, p: Patent, filed: dt.date, kind: str) -> None:
    months = {
        fields.PATENT_INVENTION: (18, 36),
        fields.PATENT_UTILITY_MODEL: (5, 12),
        fields.PATENT_DESIGN: (3, 8),
    }[kind]
    granted = filed + dt.timedelta(days=30 * m.rng.randint(*months))
    if granted <= dt.date(2013, 12, 31) and m.rng.random() < 0.85:
        p.granted_on = granted
        p.legal_status = fields.PATENT_GRANTED


LAPSE_EVERY = 6  # one granted patent in six of the demo lapses (its annual fee unpaid) before 2014


def _lapse(p: Patent, serial: int) -> None:
    """Lapse some granted patents 7 to 17 months after grant (by serial, so the random draws stay as they were)."""
    if p.granted_on is None or serial % LAPSE_EVERY:
        return
    lapsed = p.granted_on + dt.timedelta(days=210 + serial % 300)
    if lapsed <= dt.date(2013, 12, 31):
        p.lapsed_on, p.legal_status = lapsed, fields.PATENT_LAPSED


AWARD_PLAN = {
    # 获奖年度: [(级别, 奖项名称, 奖励等级, 数量)]
    2011: [("省", "科学技术进步奖", "二等奖", 1), ("省", "科学技术进步奖", "三等奖", 2),
           ("市", "科学技术进步奖", "一等奖", 1), ("市", "科学技术进步奖", "二等奖", 3),
           ("市", "科学技术进步奖", "三等奖", 2), ("县", "科学技术进步奖", "不分等级", 18)],
    2012: [("省", "科学技术进步奖", "三等奖", 3), ("市", "科学技术进步奖", "一等奖", 2),
           ("市", "科学技术进步奖", "二等奖", 2), ("市", "科学技术进步奖", "三等奖", 1),
           ("市", "专利奖", "优秀奖", 3), ("县", "科学技术进步奖", "一等奖", 5),
           ("县", "科学技术进步奖", "二等奖", 8), ("县", "科学技术进步奖", "三等奖", 10)],
    2013: [("省", "科学技术进步奖", "二等奖", 2), ("市", "科学技术进步奖", "二等奖", 4),
           ("市", "技术发明奖", "三等奖", 1), ("县", "科学技术进步奖", "不分等级", 20)],
}  # fmt: skip


def _add_awards(m: _Maker) -> None:
    taken: set[tuple[str, object]] = set()
    for year, plan in AWARD_PLAN.items():
        for level, name, grade, count in plan:
            for _ in range(count):
                unit = m.rng.choice(m.units[:30])
                topic = m.rng.choice(PROJECT_TOPICS).removesuffix("建设")
                title = _unique_name(unit, topic, (year, level), taken)
                bonus = {fields.LEVEL_PROVINCE: Decimal(5), fields.LEVEL_CITY: Decimal(2)}.get(level)
                a = Award(
                    title=title, title_sort=sort_key_for(title), award_name=name, level=level,
                    grade=grade, year=year, unit_id=unit.id, winners="、".join(m.person() for _ in range(3)),
                    bonus=bonus,
                )  # fmt: skip
                m.stamp(a)


EVENT_PLAN = (
    ("科技活动周", "{y}年{c}科技活动周", (5, 5), 6000, 0),
    ("科技之春", "{y}年“科技之春”科普月", (3, 3), 3000, 0),
    ("全国科普日", "{y}年全国科普日宣传", (9, 9), 2500, 0),
    ("竞赛评比", "{c}原创动漫作品比赛", (10, 12), 800, 398),
    ("竞赛评比", "中小学生航模比赛", (5, 5), 300, 64),
    ("专家咨询", "县科技顾问团专题研讨会", (4, 4), 40, 0),
    ("专家咨询", "主导产业转型发展献计献策会", (8, 8), 35, 0),
    ("讲座培训", "“云计算”专题讲座", (6, 6), 150, 0),
    ("讲座培训", "工业设计提升企业竞争力讲座", (7, 7), 120, 0),
    ("会议论坛", "川菜调味品文化与产业专家论坛", (5, 5), 200, 0),
    ("对接推介", "乳酸菌与酱腌菜产业新技术推介会", (11, 11), 260, 12),
    ("对接推介", "蔬菜集约化育苗新技术对接会", (3, 3), 180, 8),
    ("执法检查", "知识产权专项执法检查", (4, 4), 0, 0),
    ("科普活动", "科技“三下乡”宣传活动", (1, 2), 1500, 0),
    ("科普活动", "中小学生参观科普基地", (5, 6), 600, 0),
)


def _add_events(m: _Maker) -> None:
    for year in YEARS:
        for kind, pattern, (first, last), people, works in EVENT_PLAN:
            name = pattern.format(y=year, c=COUNTY)
            start = m.day(year, first, last)
            e = Event(
                name=name, name_sort=sort_key_for(name), event_type=kind, start_on=start,
                end_on=start + dt.timedelta(days=m.rng.choice((0, 0, 1, 6))), place=f"{COUNTY}{m.rng.choice(TOWNS)}",
                organizer=f"{COUNTY}科学技术局", participants=int(people * m.rng.uniform(0.8, 1.2)) or None,
                works=max(works // 2, works + (year - 2012) * 20) if works else None, content=f"{name}，围绕科技创新开展宣传与交流。",
            )  # fmt: skip
            m.stamp(e)
        for i in range(6):  # township popularisation days
            name = f"{m.rng.choice(TOWNS)}科普宣传日（{year}-{i + 1}）"
            e = Event(
                name=name,
                name_sort=sort_key_for(name),
                event_type=fields.EVENT_POPULAR,
                start_on=m.day(year),
                participants=m.rng.randint(100, 400),
                organizer=f"{COUNTY}科学技术协会",
            )
            m.stamp(e)


TARGETS = {
    2011: {"专利申请量": 240, "发明专利申请量": 40, "企业专利申请量": 170, "申报项目数": 25, "立项项目数": 15,
           "争取项目资金(万元)": 1200, "技术交易额(万元)": (5000, 5600)},
    2012: {"专利申请量": 350, "发明专利申请量": 60, "企业专利申请量": 260, "新认定高新技术企业": 8,
           "申报项目数": 45, "立项项目数": 30, "争取项目资金(万元)": 3000, "科技奖励数": 30,
           "科技活动次数": 20, "技术交易额(万元)": (6700, 7100)},
    2013: {"专利申请量": 450, "发明专利申请量": 80, "企业专利申请量": 330, "技术交易额(万元)": (8000, 7800)},
}  # fmt: skip


POPULATION = {2011: Decimal("58.62"), 2012: Decimal("59.10"), 2013: Decimal("59.57")}  # 年末常住人口(万人)


def _add_targets(m: _Maker) -> None:
    for year, targets in TARGETS.items():
        for name, value in targets.items():
            target, actual = value if isinstance(value, tuple) else (value, None)
            m.stamp(
                Target(
                    year=year,
                    indicator=name,
                    target_value=Decimal(target),
                    actual_value=Decimal(actual) if actual is not None else None,
                )
            )
    for year, people in POPULATION.items():
        m.stamp(Target(year=year, indicator=fields.INDICATOR_POPULATION, actual_value=people))


def fill_demo(session: Session) -> None:
    """Write the demo records into an empty file (the caller commits)."""
    settings.put(session, settings.BUREAU_NAME, f"{COUNTY}科学技术局")
    settings.put(session, settings.COUNTY_NAME, COUNTY)
    settings.put(session, settings.DIVISION, fields.DIVISION_COUNTY)
    # No 操作员: whoever opens the demo is asked who they are, so their deletions are not credited to it.
    m = _Maker(session)
    _add_units(m)
    session.flush()
    _add_qualifications(m)
    _add_projects(m)
    _add_patents(m)
    _add_awards(m)
    _add_events(m)
    _add_targets(m)
    _add_report_drafts(session)


def _add_report_drafts(session: Session) -> None:
    """The 2012 report draft with the clerk's own text (added by the report engineer)."""
    from kejiju_desktop.demo_drafts import add_demo_drafts

    add_demo_drafts(session)
