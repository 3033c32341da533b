"""Synthetic data files for benchmarks: county scale and stress scale (500,000 patents)."""

from __future__ import annotations

import datetime as dt
import random
import sys
import uuid
from decimal import Decimal
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from db.database import create_data_file, open_data_file  # noqa: E402
from db.models import Award, Enterprise, Event, Patent, Project, Qualification  # noqa: E402
from db.schema import SCHEMA_HEAD  # noqa: E402
from kejiju_desktop import fields, validation  # noqa: E402
from kejiju_desktop.services import records  # noqa: E402
from kejiju_desktop.sorting import sort_key_for  # noqa: E402

GENERATOR_VERSION = 2
SCALES = {
    "county": {"units": 2000, "projects": 5000, "patents": 50_000, "awards": 3000, "events": 5000},
    "stress": {"units": 2000, "projects": 5000, "patents": 500_000, "awards": 3000, "events": 5000},
}
YEARS = tuple(range(2008, 2014))
STAMP = dt.datetime(2014, 1, 6, 9, 0, 0)
PLACES = "东南西北中新老金银华龙凤天海山川江河湖星光明盛兴隆"
TRADES = ("机械", "电子", "化工", "食品", "生物", "材料", "信息", "农业", "医药", "纺织", "能源", "建材")
WORDS = (
    "液压缸", "密封装置", "调味酱", "发酵罐", "菌种", "控制系统", "检测装置", "节能灯", "消毒柜", "电路板",
    "连接器", "包装盒", "输送机", "模具", "泵体", "阀门", "饲料", "茶叶", "传感器", "育苗盘", "过滤器",
    "减速机", "轴承座", "散热器", "充电桩", "机器人", "无人机", "显示屏", "锂电池", "光伏板",
)  # fmt: skip
RARE_WORD = "量子纠缠"  # appears in a handful of patents: the "rare word" of the search benchmark
PREFIXES = ("一种", "一种新型", "一种高效", "一种便携式", "一种环保型", "一种智能", "一种可调节的")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
BATCH = 20_000


@cache
def _sort_key(text: str) -> str | None:
    return sort_key_for(text)


class _Gen:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def day(self, year: int) -> dt.date:
        return dt.date(year, self.rng.randint(1, 12), self.rng.randint(1, 28))

    def base(self) -> dict:
        return {"uid": self.uid(), "created_at": STAMP, "updated_at": STAMP, "updated_by": "基准数据",
                "confirmed_warnings": ""}  # fmt: skip


def _units(g: _Gen, n: int) -> list[dict]:
    rows = []
    for i in range(n):
        name = f"{g.rng.choice(PLACES)}{g.rng.choice(PLACES)}{g.rng.choice(TRADES)}{i:04d}有限公司"
        body = "91510124" + "".join(g.rng.choices(validation.CREDIT_CHARSET, k=5)) + f"{i:04d}"
        rows.append(g.base() | {
            "name": name, "name_sort": _sort_key(name), "unit_type": "企业",
            "credit_code": validation.make_credit_code(body), "town": g.rng.choice(PLACES) + "镇",
        })  # fmt: skip
    return rows


def _patents(g: _Gen, n: int, unit_names: list[tuple[int, str]]):
    for i in range(n):
        year = g.rng.choice(YEARS)
        kind, digit = g.rng.choice((("发明", 1), ("实用新型", 2), ("实用新型", 2), ("外观设计", 3)))
        word = RARE_WORD if i % 50_000 == 7 else g.rng.choice(WORDS)
        title = g.rng.choice(PREFIXES) + word
        unit_id, applicant = g.rng.choice(unit_names)
        filed = g.day(year)
        granted = filed + dt.timedelta(days=200) if g.rng.random() < 0.5 else None
        yield g.base() | {
            "app_no": validation.make_app_no(year, digit, i + 1), "title": title, "title_sort": _sort_key(title),
            "patent_type": kind, "applicant": applicant, "applicant_type": "企业", "unit_id": unit_id,
            "filed_on": filed, "granted_on": granted, "legal_status": "已授权" if granted else "已受理",
            "inventors": g.rng.choice(SURNAMES) + g.rng.choice(SURNAMES) + "明",
        }  # fmt: skip


def _projects(g: _Gen, n: int, unit_ids: list[int]):
    categories = fields.DEFAULT_PLAN_CATEGORIES
    for i in range(n):
        year = g.rng.choice(YEARS)
        approved = g.rng.random() < 0.6
        name = f"{g.rng.choice(WORDS)}关键技术研究与示范{i:05d}"
        yield g.base() | {
            "code": f"P{year}{i:06d}", "name": name, "name_sort": _sort_key(name),
            "level": g.rng.choice(fields.LEVELS), "plan_category": g.rng.choice(categories),
            "tech_field": g.rng.choice(fields.TECH_FIELDS), "unit_id": g.rng.choice(unit_ids), "apply_year": year,
            "status": "实施中" if approved else "未立项", "approved_on": g.day(year) if approved else None,
            "funding": Decimal(g.rng.randint(5, 300)) if approved else None,
        }  # fmt: skip


def _awards(g: _Gen, n: int, unit_ids: list[int]):
    for i in range(n):
        title = f"{g.rng.choice(WORDS)}成果{i:05d}"
        yield g.base() | {
            "title": title, "title_sort": _sort_key(title), "award_name": "科学技术进步奖",
            "level": g.rng.choice(fields.LEVELS), "grade": g.rng.choice(fields.AWARD_GRADES[1:4]),
            "year": g.rng.choice(YEARS), "unit_id": g.rng.choice(unit_ids),
        }  # fmt: skip


def _events(g: _Gen, n: int):
    for i in range(n):
        name = f"{g.rng.choice(fields.EVENT_TYPES)}{i:05d}"
        yield g.base() | {
            "name": name, "name_sort": _sort_key(name), "event_type": g.rng.choice(fields.EVENT_TYPES),
            "start_on": g.day(g.rng.choice(YEARS)), "participants": g.rng.randint(10, 2000),
        }  # fmt: skip


def _qualifications(g: _Gen, unit_ids: list[int]):
    for unit_id in unit_ids[::4]:
        year = g.rng.choice(YEARS)
        certified = g.day(year)
        category = g.rng.choice(fields.QUALIFICATION_CATEGORIES[:5])
        yield g.base() | {
            "unit_id": unit_id, "category": category, "level": "省", "year": year, "certified_on": certified,
            "valid_until": fields.default_valid_until(category, certified), "status": "已认定",
        }  # fmt: skip


def _insert(session, model, rows) -> None:
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            session.execute(insert(model), batch)
            batch = []
    if batch:
        session.execute(insert(model), batch)


def make_file(path: Path, scale: str = "county", seed: int = 1) -> Path:
    """Write a synthetic data file at `scale` (see SCALES); returns its path."""
    sizes = SCALES[scale]
    create_data_file(path, overwrite=True)
    data = open_data_file(path, take_lock=False)
    g = _Gen(seed)
    try:
        with data.sessions.begin() as s:
            _insert(s, Enterprise, _units(g, sizes["units"]))
            units = [(r.id, r.name) for r in s.query(Enterprise.id, Enterprise.name)]
            ids = [u[0] for u in units]
            _insert(s, Qualification, _qualifications(g, ids))
            _insert(s, Project, _projects(g, sizes["projects"], ids))
            _insert(s, Patent, _patents(g, sizes["patents"], units))
            _insert(s, Award, _awards(g, sizes["awards"], ids))
            _insert(s, Event, _events(g, sizes["events"]))
        with data.sessions.begin() as s:
            records.prepare_search(s)  # index the bulk inserts now, as a file in use would be
    finally:
        data.close()
    return path


def cached_file(cache_dir: Path, scale: str) -> Path:
    """The synthetic file of a scale, built once and reused while the generator is unchanged."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_dir / f"synthetic-{scale}-v{GENERATOR_VERSION}-{SCHEMA_HEAD}.kjdb"
    if not path.exists():
        tmp = path.with_suffix(".building")
        make_file(tmp, scale)
        tmp.replace(path)
    return path
