"""Paths become SQLite file: URIs that name exactly that file, on POSIX and Windows paths alike."""

import sqlite3
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urlsplit

import pytest

from db.uri import file_uri

# Every character Windows allows in a name that means something in a URI, a shell or a URL.
ODD_NAME = "数据 %41 #2 ?x & ; ' [ ] { } ~ ^ , +=@$!().kjdb"


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (PurePosixPath("/home/fred/data.db"), "file:///home/fred/data.db"),
        (PurePosixPath("/a/数据%41.kjdb"), "file:///a/%E6%95%B0%E6%8D%AE%2541.kjdb"),
        (PurePosixPath("/a/数据#2.kjdb"), "file:///a/%E6%95%B0%E6%8D%AE%232.kjdb"),
        (PurePosixPath("/a/b?mode=rwc.kjdb"), "file:///a/b%3Fmode%3Drwc.kjdb"),
        (PurePosixPath("/a b/c&d;e'f"), "file:///a%20b/c%26d%3Be%27f"),
    ],
)
def test_posix_path_becomes_an_absolute_uri_with_every_special_character_encoded(path, uri):
    assert file_uri(path) == uri


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        # SQLite's own example: file:///C:/Documents%20and%20Settings/fred/Desktop/data.db
        (
            PureWindowsPath(r"C:\Documents and Settings\fred\Desktop\data.db"),
            "file:///C:/Documents%20and%20Settings/fred/Desktop/data.db",
        ),
        (
            PureWindowsPath(r"d:\科技局\数据%41.kjdb"),
            "file:///d:/%E7%A7%91%E6%8A%80%E5%B1%80/%E6%95%B0%E6%8D%AE%2541.kjdb",
        ),
        (PureWindowsPath("C:/x/数据#2.kjdb"), "file:///C:/x/%E6%95%B0%E6%8D%AE%232.kjdb"),
        # A share: the authority stays empty (SQLite refuses any other), the path starts with //.
        (PureWindowsPath(r"\\server\share\x"), "file:////server/share/x"),
        (PureWindowsPath(r"\\pc-02\共享\a b#1.kjdb"), "file:////pc-02/%E5%85%B1%E4%BA%AB/a%20b%231.kjdb"),
    ],
)
def test_windows_path_becomes_a_uri_of_drive_letter_or_share(path, uri):
    assert file_uri(path) == uri


@pytest.mark.parametrize("path", [PurePosixPath("/tmp") / ODD_NAME, PureWindowsPath(r"C:\tmp") / ODD_NAME])
def test_uri_decodes_back_to_the_same_path_and_has_no_query_or_fragment_of_its_own(path):
    parts = urlsplit(file_uri(path))
    assert (parts.scheme, parts.netloc, parts.query, parts.fragment) == ("file", "", "", "")
    decoded = unquote(parts.path)
    assert decoded == (path.as_posix() if isinstance(path, PurePosixPath) else "/" + path.as_posix())


def test_query_parameters_follow_the_path():
    assert file_uri(PurePosixPath("/a/b#c"), mode="ro") == "file:///a/b%23c?mode=ro"


def test_relative_pure_path_is_refused_and_a_relative_real_path_is_made_absolute(tmp_path, monkeypatch):
    with pytest.raises(ValueError):
        file_uri(PureWindowsPath("C:relative.kjdb"))
    with pytest.raises(ValueError):
        file_uri(PurePosixPath("relative.kjdb"))
    monkeypatch.chdir(tmp_path)
    assert file_uri(Path("x.kjdb")) == file_uri(tmp_path / "x.kjdb")


def test_sqlite_opens_the_file_named_and_not_its_decoy(tmp_path):
    odd, decoy = tmp_path / ODD_NAME, tmp_path / "数据 A "  # what an unquoted URI of ODD_NAME opens
    for path, word in ((odd, "right"), (decoy, "decoy")):
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE t(w)")
        conn.execute("INSERT INTO t VALUES (?)", (word,))
        conn.commit()
        conn.close()
    conn = sqlite3.connect(file_uri(odd, mode="ro"), uri=True)
    try:
        assert conn.execute("SELECT w FROM t").fetchone() == ("right",)
    finally:
        conn.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([odd.name, decoy.name])
