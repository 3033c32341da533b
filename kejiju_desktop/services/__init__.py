"""Use cases over a Session: records, stats, exchange (Excel), portability (copy, backup, merge, check)."""
