"""Write <revision>.json here for every known revision: the tables and columns of an empty file migrated to it.

Run when a revision is added (after listing it in db/schema.py KNOWN_REVISIONS):
`.venv/bin/python db/migrations/shapes/make_shapes.py`. A committed file never changes afterwards;
tests/db/test_schema_shape.py checks that each one still matches its migration.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from db.migrate import shape_at  # noqa: E402
from db.schema import KNOWN_REVISIONS, shape_file  # noqa: E402


def main() -> None:
    for revision in KNOWN_REVISIONS:
        text = json.dumps(shape_at(revision), ensure_ascii=False, indent=1) + "\n"
        shape_file(revision).write_text(text, encoding="utf-8")
        print(shape_file(revision))


if __name__ == "__main__":
    main()
