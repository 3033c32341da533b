"""Fixtures of the command line's tests: servers in the states a clerk may meet."""

from tests.fixtures.server_states import bureau  # noqa: F401 - an initialised server with one record
