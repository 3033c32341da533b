"""Search on a server answers the same rows whoever asks: a 查看 account, which may not write the word
index, finds rows another clerk saved that no sync has indexed yet (they are still queued)."""

from sqlalchemy import text

from db import search
from db.server import open_server
from kejiju_desktop import cli, fields
from kejiju_desktop.services import records
from kejiju_desktop.services.records import Query


def _login(cluster, database: str, group: str) -> str:
    name = f"{database}_{group}_clerk"
    with cluster.connect(database) as conn:
        conn.execute(f'CREATE ROLE "{name}" LOGIN PASSWORD \'pw\' IN ROLE "{database}_{group}"')
    return cluster.url(database, user=name)


def test_a_viewer_finds_rows_not_yet_indexed_and_leaves_the_index_alone(pg_cluster, pg_database):
    assert cli.main(["server", "init", "--db", pg_cluster.url(pg_database)]) == 0
    editor = open_server(_login(pg_cluster, pg_database, "录入员"), password="pw")
    viewer = open_server(_login(pg_cluster, pg_database, "查看"), password="pw")
    try:
        with editor.writer() as session:
            raw = {
                "title": "一种液压缸",
                "applicant": "个人甲",
                "filed_on": "2012-03-05",
                "patent_type": "发明",
            }
            records.save_record(session, fields.PATENTS, raw, operator="张三")
            records.save_record(session, fields.PATENTS, raw | {"title": "安全阀门"}, operator="张三")
        with viewer.sessions() as session:
            found = records.list_page(session, fields.PATENTS, Query(search="液压"), 0, 10)
            assert not search.sync(session.connection(), "patents")
            queued = session.execute(text("SELECT count(*) FROM search_queue")).scalar()
        assert [row[1 + [f.key for f in fields.PATENTS.fields].index("title")] for row in found] == [
            "一种液压缸"
        ]
        assert queued == 2
        with editor.sessions.begin() as session:
            assert search.sync(session.connection(), "patents")
            found = records.count(session, fields.PATENTS, Query(search="液压"))
            queued = session.execute(text("SELECT count(*) FROM search_queue")).scalar()
        assert (found, queued) == (1, 0)
    finally:
        editor.close()
        viewer.close()
