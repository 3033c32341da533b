"""Handlers of the command-line sub-commands, one module per concern."""
