"""Carrying data files between offices: consistent copies, automatic backups, merge and repair."""
