"""What calamine does not tell, read from a workbook's zip parts: formulas without results, .ods merges."""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

from kejiju_desktop import messages
from kejiju_desktop.services.exchange.sniff import UnusableFile

MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PACKAGE_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TABLE_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
ODS_TABLE, ODS_ROW = f"{TABLE_NS}table", f"{TABLE_NS}table-row"
ODS_CELLS = (f"{TABLE_NS}table-cell", f"{TABLE_NS}covered-table-cell")
# What a part that lies about its size or is cut short raises while it is read (zipfile checks the CRC).
DAMAGED_READ = (zipfile.BadZipFile, zlib.error, EOFError, ElementTree.ParseError, KeyError)
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CELL_REF_RE = re.compile(r"([A-Z]+)(\d+)")


@contextlib.contextmanager
def _part(path: Path, name: str) -> Iterator:
    # A part found damaged only while it is read (a lying size, a cut-off file) is one sentence too.
    try:
        with zipfile.ZipFile(path) as archive, archive.open(name) as src:
            yield src
    except DAMAGED_READ as exc:
        raise UnusableFile(messages.FILE_DAMAGED.format(name=path.name)) from exc


def sheet_part(path: Path, sheet_name: str) -> str:
    """The zip part holding the named worksheet of an .xlsx/.xlsm (workbook.xml and its relations)."""
    with zipfile.ZipFile(path) as archive:
        workbook = next(n for n in archive.namelist() if n.lower().endswith("workbook.xml"))
    folder, base = posixpath.split(workbook)
    with _part(path, workbook) as src:
        sheets = ElementTree.parse(src).getroot().iter(f"{MAIN_NS}sheet")
        rel_id = next(s.get(f"{REL_NS}id") for s in sheets if s.get("name") == sheet_name)
    with _part(path, posixpath.join(folder, "_rels", base + ".rels")) as src:
        relations = ElementTree.parse(src).getroot().iter(f"{PACKAGE_REL_NS}Relationship")
        target = next(r.get("Target") for r in relations if r.get("Id") == rel_id)
    if target.startswith("/"):  # an absolute part name
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def has_formulas(path: Path, part: str) -> bool:
    """Whether the sheet part holds any formula: a byte scan of the whole part, no XML parsing."""
    found = False
    tail = b""
    with _part(path, part) as src:
        while chunk := src.read(1 << 16):  # read to the end even after a hit: zipfile checks the CRC there
            found = found or _FORMULA_RE.search(tail + chunk) is not None
            tail = chunk[-8:]
    return found


def uncached_formulas(path: Path, part: str) -> dict[int, set[int]]:
    """Row number -> positions (0 = column A) of the cells holding a formula and no saved result."""
    found: dict[int, set[int]] = {}
    with _part(path, part) as src:
        for _, node in ElementTree.iterparse(src):
            if node.tag != f"{MAIN_NS}c":
                continue
            if node.find(f"{MAIN_NS}f") is not None and not (node.findtext(f"{MAIN_NS}v") or ""):
                column, row = _CELL_REF_RE.match(node.get("r", "")).groups()
                found.setdefault(int(row), set()).add(column_index(column) - 1)
            node.clear()
    return found


def ods_merges(path: Path, table_name: str, rows: int) -> list[tuple[int, int, int, int]]:
    """Merged ranges starting in the first `rows` rows of an .ods table, from content.xml's spans."""
    merges: list[tuple[int, int, int, int]] = []
    inside, row, next_row, column = False, 0, 1, 1
    with _part(path, "content.xml") as src:
        for event, node in ElementTree.iterparse(src, events=("start", "end")):
            if event == "end":
                if node.tag == ODS_TABLE and inside:
                    break
                if node.tag == ODS_ROW:
                    node.clear()
            elif node.tag == ODS_TABLE:
                inside = node.get(f"{TABLE_NS}name") == table_name
            elif inside and node.tag == ODS_ROW:
                row, column = next_row, 1
                if row > rows:
                    break
                next_row += int(node.get(f"{TABLE_NS}number-rows-repeated", 1))
            elif inside and node.tag in ODS_CELLS:
                merges += _span(node, row, column)
                column += int(node.get(f"{TABLE_NS}number-columns-repeated", 1))
    return merges


def _span(node, row: int, column: int) -> list[tuple[int, int, int, int]]:
    across = int(node.get(f"{TABLE_NS}number-columns-spanned", 1))
    down = int(node.get(f"{TABLE_NS}number-rows-spanned", 1))
    if across == down == 1:
        return []
    return [(row, row + down - 1, column, column + across - 1)]


def column_index(letters: str) -> int:
    """The number of column `letters`: 1 for "A", 27 for "AA"."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def column_letter(number: int) -> str:
    """The letters of column `number`: "A" for 1, "AA" for 27."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
