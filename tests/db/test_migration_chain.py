"""The migrations form one line, and each step of the checklist for adding one left its file behind."""

import sqlite3

import pytest
from alembic.script import ScriptDirectory

from db.database import probe
from db.migrate import alembic_config
from db.schema import KNOWN_REVISIONS, SCHEMA_HEAD, shape_file
from tests.fixtures.data import make_old_versions
from tests.fixtures.data.make_old_versions import frozen_file

STEPS = list(zip((None, *KNOWN_REVISIONS[:-1]), KNOWN_REVISIONS, strict=True))


def test_the_scripts_have_one_head_and_it_is_the_last_known_revision():
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [SCHEMA_HEAD]
    assert sorted(rev.revision for rev in script.walk_revisions()) == sorted(KNOWN_REVISIONS)


@pytest.mark.parametrize(("previous", "revision"), STEPS, ids=[r for _, r in STEPS])
def test_each_revision_follows_the_one_before(previous, revision):
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_revision(revision).down_revision == previous


@pytest.mark.parametrize(("previous", "revision"), STEPS, ids=[r for _, r in STEPS])
def test_each_revision_has_its_shape_file_and_its_predecessor_a_frozen_file_at_that_revision(
    previous, revision
):
    assert shape_file(revision).is_file(), f"run db/migrations/shapes/make_shapes.py for {revision}"
    if previous is not None:
        frozen = frozen_file(previous)
        assert frozen.is_file(), f"freeze {previous}: tests/fixtures/data/make_old_versions.py {previous}"
        assert probe(frozen).revision == previous


def test_generator_freezes_the_head_with_demo_rows_and_never_writes_over_a_frozen_file(tmp_path):
    frozen = make_old_versions.freeze(SCHEMA_HEAD, tmp_path)
    assert frozen == frozen_file(SCHEMA_HEAD, tmp_path) and probe(frozen).revision == SCHEMA_HEAD
    conn = sqlite3.connect(frozen)
    try:
        patents = conn.execute("SELECT count(*) FROM patents").fetchone()[0]
        assert patents == make_old_versions.LIMITS["patents"]
    finally:
        conn.close()
    with pytest.raises(SystemExit, match="frozen already"):
        make_old_versions.freeze(SCHEMA_HEAD, tmp_path)
