"""Each revision's tables and columns are committed beside its migration; a file lacking any is refused."""

import shutil
import sqlite3

import pytest

from db import search
from db.database import APPLICATION_ID, DamagedFileError, probe
from db.migrate import shape_at
from db.models import Base
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD, SHAPES_DIR, expected_shape, shape_file
from tests.db.test_old_versions import OLD_FILES
from tests.fixtures.files import digest, run_sql


def test_every_known_revision_has_its_shape_file_and_no_other_is_there():
    missing = [r for r in KNOWN_REVISIONS if not shape_file(r).is_file()]
    assert not missing, f"run db/migrations/shapes/make_shapes.py for {missing}"
    assert sorted(p.stem for p in SHAPES_DIR.glob("*.json")) == sorted(KNOWN_REVISIONS)


@pytest.mark.parametrize("revision", KNOWN_REVISIONS)
def test_shape_file_matches_an_empty_file_migrated_to_that_revision(revision):
    assert shape_at(revision) == expected_shape(revision)


def test_shape_of_head_is_the_models_plus_the_version_and_the_word_index_queue():
    head = expected_shape(SCHEMA_HEAD)
    models = {table.name: [c.name for c in table.columns] for table in Base.metadata.sorted_tables}
    assert {t: sorted(head[t]) for t in models} == {t: sorted(c) for t, c in models.items()}
    assert set(head) - set(models) == {"alembic_version", search.QUEUE}


def _altered(tmp_path, source, *statements):
    path = tmp_path / "altered.kjdb"
    shutil.copy(source, path)
    return run_sql(path, *statements)


ALTERATIONS = {
    "column renamed": ("ALTER TABLE events RENAME COLUMN works TO works_count", "表“events”缺少列“works”"),
    "column dropped": ("ALTER TABLE targets DROP COLUMN target_value", "表“targets”缺少列“target_value”"),
    "table dropped": ("DROP TABLE report_sections", "缺少表“report_sections”"),
    "view for a table": ("ALTER TABLE merge_marks RENAME TO mm", "缺少表“merge_marks”"),
    "empty version": ("DELETE FROM alembic_version", "没有记录版本号"),
    "no version table": ("DROP TABLE alembic_version", "没有记录版本号"),
}


@pytest.mark.parametrize("kind", sorted(ALTERATIONS))
@pytest.mark.parametrize("revision_file", ["head", *(p.stem for p in OLD_FILES)])
def test_file_lacking_a_table_or_column_of_its_revision_is_refused_untouched(
    kind, revision_file, tmp_path, db_file
):
    source = db_file if revision_file == "head" else next(p for p in OLD_FILES if p.stem == revision_file)
    statement, phrase = ALTERATIONS[kind]
    extra = ("CREATE VIEW merge_marks AS SELECT * FROM mm",) if kind == "view for a table" else ()
    path = _altered(tmp_path, source, statement, *extra)
    before = digest(path)
    with pytest.raises(DamagedFileError) as info:
        probe(path)
    assert "内部结构不完整" in info.value.message and phrase in info.value.message
    assert digest(path) == before


def test_our_application_id_without_our_tables_is_refused(tmp_path):
    path = tmp_path / "bare.kjdb"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
    conn.execute("CREATE TABLE settings(key, value)")
    conn.commit()
    conn.close()
    with pytest.raises(DamagedFileError, match="内部结构不完整"):
        probe(path)


@pytest.mark.parametrize("old", OLD_FILES, ids=lambda p: p.stem)
def test_whole_old_file_and_extra_tables_or_columns_pass(old, tmp_path, db_file):
    assert probe(old).revision != SCHEMA_HEAD
    path = _altered(tmp_path, db_file, "ALTER TABLE events ADD COLUMN mine", "CREATE TABLE mine(x)")
    assert probe(path).revision == SCHEMA_HEAD


def test_file_without_the_word_index_tables_passes(tmp_path, db_file):
    # SQLite built without FTS5 makes no index tables; the shape does not ask for them.
    drops = [f"DROP TABLE {search.vocab_table(t)}" for t in search.INDEXED]
    drops += [f"DROP TABLE {search.index_table(t)}" for t in search.INDEXED]
    path = _altered(tmp_path, db_file, *drops)
    assert probe(path).revision == SCHEMA_HEAD
