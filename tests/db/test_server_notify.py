"""Live updates on a server (db/server_notify.py): a statement's NOTIFY of its table's name, heard by a listener."""

from db import server_notify
from db.models import Enterprise
from db.server_notify import ChangeListener


def _insert_enterprise(store, name: str) -> None:
    with store.writer() as session:
        session.add(Enterprise(name=name))


def test_a_save_on_one_connection_is_heard_by_another_as_its_table_name(pg_store):
    listener = ChangeListener(pg_store.url)
    try:
        assert listener.poll() == set()
        _insert_enterprise(pg_store, "甲公司")
        assert listener.wait(2) == {"enterprises"}
        assert listener.poll() == set()  # each notification is handed over once
    finally:
        listener.close()


def test_every_record_table_has_the_trigger_after_the_migrations(pg_store):
    with pg_store.engine.connect() as conn:
        assert server_notify.installed(conn)
        conn.exec_driver_sql("DROP TRIGGER patents_notify ON patents")
        assert not server_notify.installed(conn)  # as on a server set up by an older program
        conn.rollback()
    assert "patents" in server_notify.record_tables() and "change_log" not in server_notify.record_tables()


def test_nothing_is_heard_from_a_transaction_rolled_back(pg_store):
    listener = ChangeListener(pg_store.url)
    try:
        with pg_store.sessions() as session:
            session.add(Enterprise(name="乙公司"))
            session.flush()
            session.rollback()
        assert listener.wait(0.5) == set()
    finally:
        listener.close()


def test_a_notification_naming_no_table_of_ours_is_not_kept(pg_store, pg_cluster):
    """Any role may NOTIFY our channel with any payload (up to 8,000 bytes): a clerk's psql sending a
    million different ones must not grow every listening program's memory by as many names."""
    listener = ChangeListener(pg_store.url)
    try:
        with pg_cluster.connect(pg_store.url.database) as conn, conn.transaction():  # heard at once
            for n in range(3):
                conn.execute(f"SELECT pg_notify('{server_notify.CHANNEL}', repeat('x', 7000) || '{n}')")
            conn.execute(f"NOTIFY {server_notify.CHANNEL}, 'patents'")
        heard: set[str] = set()
        for _attempt in range(8):  # 28 kB may come in more than one read
            heard |= listener.wait(0.25)
        assert heard == {"patents"}
    finally:
        listener.close()
