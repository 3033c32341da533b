"""CSV and text sheets: the encoding and the separator found from the file, rows streamed as text."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from pathlib import Path

from kejiju_desktop import messages
from kejiju_desktop.services.exchange.sniff import UnusableFile

SEPARATORS = (",", "\t", ";")
SNIFF_LINES = 10
# A BOM decides. Without one, strict UTF-8 first: UTF-8 Chinese also decodes as GB18030 without an
# error (as mojibake), while GB18030 text is almost never valid UTF-8. GB18030 covers GBK, what
# Chinese Excel writes.
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
GUESSES = ("utf-8", "gb18030")


def encoding_of(path: Path) -> str:
    """The text encoding of `path`: its BOM's, else the first of GUESSES it decodes in, else UnusableFile."""
    with path.open("rb") as fh:
        head = fh.read(4)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    for encoding in GUESSES:
        if _decodes(path, encoding):
            return encoding
    raise UnusableFile(messages.CSV_ENCODING_UNKNOWN.format(name=path.name))


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


class CsvSheet:
    """A text file read as one sheet named after the file; rows numbered from 1, cells as text."""

    def __init__(self, path: Path):
        self.path = path
        self.encoding = encoding_of(path)
        self.separator = self._separator()

    def iter_rows(self) -> Iterator[list[str]]:
        """Every record of the file as a list of texts (a quoted line break stays inside its cell)."""
        with self.path.open(encoding=self.encoding, newline="") as fh:
            yield from csv.reader(fh, delimiter=self.separator)

    def _separator(self) -> str:
        # The separator that splits the first lines into the most columns; a comma on a tie.
        with self.path.open(encoding=self.encoding, newline="") as fh:
            head = [line for _, line in zip(range(SNIFF_LINES), fh, strict=False)]
        widths = {s: max((len(r) for r in csv.reader(head, delimiter=s)), default=0) for s in SEPARATORS}
        return max(SEPARATORS, key=lambda s: widths[s])

    def count_rows(self) -> int:
        """The number of records (one pass over the file, for the progress estimate)."""
        return sum(1 for _ in self.iter_rows())
