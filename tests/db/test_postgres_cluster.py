"""The throw-away PostgreSQL of tests/fixtures/postgres.py: it runs, as DESIGN wants a server set up, and
its absence fails in CI rather than skipping."""

import pytest

from tests.fixtures.postgres import require_server


def test_the_cluster_answers_in_utf8_under_c_utf8_with_scram(pg_cluster, pg_database):
    with pg_cluster.connect(pg_database) as conn:
        encoding, collation, ctype = conn.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database WHERE datname = %s",
            (pg_database,),
        ).fetchone()
        method = conn.execute("SHOW password_encryption").fetchone()[0]
    assert (encoding, collation, ctype, method) == ("UTF8", "C.UTF-8", "C.UTF-8", "scram-sha-256")


def test_a_wrong_password_is_refused_by_the_cluster(pg_cluster):
    import psycopg

    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        pg_cluster.connect(password="wrong").close()


def test_missing_server_binaries_fail_in_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception):
        require_server(None)


def test_missing_server_binaries_skip_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception):
        require_server(None)
