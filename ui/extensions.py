"""Modules that add their panes and menu actions to the main window: each has `install(window)`."""

EXTENSIONS = (
    "ui.report_composer",
    "ui.portability_actions",
    "ui.exchange_actions",
)
