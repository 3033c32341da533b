"""Entry point: no sub-command opens the window, a sub-command runs the command line."""

import sys


def main() -> int:
    from kejiju_desktop.cli import wants_cli

    argv = sys.argv[1:]
    if wants_cli(argv):
        from kejiju_desktop.cli import main as cli_main

        return cli_main(argv)
    from ui.app import run_gui

    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
