"""The schema revisions this program knows; the newest is what a file is upgraded to."""

# Every Alembic revision id in db/migrations/versions, oldest first. A test checks the list
# against the scripts, so opening a file needs no Alembic import when no upgrade is due.
KNOWN_REVISIONS = ("0001_initial", "0002_word_search")
SCHEMA_HEAD = KNOWN_REVISIONS[-1]
