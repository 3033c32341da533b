"""Excel exchange: export a table, write a blank template, import a sheet (all driven by field specs)."""
