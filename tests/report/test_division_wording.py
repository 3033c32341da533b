"""The administrative word is a setting: a 区 or 市 file's report says 全区/全市 and names levels after it."""

import re
import shutil
import zipfile

import pytest

from db.database import open_data_file
from kejiju_desktop import cli
from kejiju_desktop.report import facts, visuals
from kejiju_desktop.services import settings
from tests.fixtures.files import run_sql


@pytest.fixture
def plain_demo(tmp_path, demo_file):
    """The demo's records without its clerk text (which says 全县 in the clerk's own words) or its names."""
    path = tmp_path / "plain.kjdb"
    shutil.copyfile(demo_file, path)
    run_sql(
        path,
        "DELETE FROM report_sections",
        "DELETE FROM report_drafts",
        "DELETE FROM settings WHERE key IN ('bureau_name', 'county_name')",
    )
    return path


def _document_text(plain_demo, tmp_path, division: str) -> str:
    assert cli.main(["settings", "--db", str(plain_demo), "行政区划", division]) == cli.EXIT_OK
    out = tmp_path / f"{division}.docx"
    assert cli.main(["report", "--db", str(plain_demo), "--year", "2012", "-o", str(out)]) == cli.EXIT_OK
    with zipfile.ZipFile(out) as docx:
        xml = docx.read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))


def test_a_district_file_reads_quanqu_and_never_quanxian(plain_demo, tmp_path):
    text = _document_text(plain_demo, tmp_path, "区")
    assert "全区" in text and "全县" not in text
    assert "；区级科技奖励23项" in text and "县级" not in text  # the demo's 23 awards of level 县
    assert text.startswith("××区科学技术局2012年工作总结")


def test_a_city_file_reads_quanshi_and_calls_the_prefecture_dishiji(plain_demo, tmp_path):
    text = _document_text(plain_demo, tmp_path, "市")
    assert "全市" in text and "全县" not in text and "县级" not in text
    assert "；地市级科技奖励8项" in text and "全市地市级以上" in text  # the stored level 市
    assert "；市级科技奖励23项" in text  # the stored level 县: the bureau's own awards


def test_charts_and_tables_name_the_levels_after_the_division(plain_demo):
    data = open_data_file(plain_demo)
    with data.writer() as session:
        settings.update_setting(session, settings.SETTINGS["行政区划"], "市")
    with data.sessions() as session:
        figures = facts.gather(session, 2012)
    data.close()
    assert visuals.projects_chart(figures).categories == ["国家级", "省级", "地市级", "市级"]
    assert visuals.awards_chart(figures).categories == ["国家级", "省级", "地市级", "市级"]
    levels = {row[3] for row in visuals.projects_table(figures).rows[:-1]}
    assert "县级" not in levels and levels <= {"国家级", "省级", "地市级", "市级"}


def test_a_county_file_reads_as_before(plain_demo, tmp_path):
    text = _document_text(plain_demo, tmp_path, "县")
    assert "全县" in text and "县级" in text and "全区" not in text and "地市级" not in text
