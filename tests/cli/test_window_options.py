"""The window's own options, parsed without the command line, answer wrong usage as the command line does."""

import pytest

from kejiju_desktop import cli
from kejiju_desktop.options import EXIT_USAGE, build_window_parser


def test_window_options_parse_alone():
    args = build_window_parser().parse_args(["--db", "f.kjdb", "--screenshot", "o.png", "--tab", "report"])
    assert (args.db, args.screenshot, args.tab, args.command) == ("f.kjdb", "o.png", "report", None)


@pytest.mark.parametrize("argv", [["--tab", "nonsense"], ["--db"], ["-x"], ["--screenshot"]])
def test_wrong_window_option_gets_the_command_lines_usage_and_exit_3(argv, capsys):
    with pytest.raises(SystemExit) as window_exit:
        build_window_parser().parse_args(argv)
    window_err = capsys.readouterr().err
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(argv)
    assert window_exit.value.code == EXIT_USAGE and window_err == capsys.readouterr().err


@pytest.mark.parametrize("argv", [["foo"], ["--db", "x.kjdb", "foo"], ["foo", "-h"]])
def test_a_word_that_is_no_sub_command_is_answered_with_the_sub_commands(argv, capsys):
    assert cli.wants_cli(argv)
    assert cli.main(argv) == EXIT_USAGE
    assert "无效的选项 'foo'" in capsys.readouterr().err
