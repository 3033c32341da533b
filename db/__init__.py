"""Persistence: models, the data file and its migrations. Imports neither ui nor kejiju_desktop."""
