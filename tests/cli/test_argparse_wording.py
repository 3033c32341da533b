"""argparse's own English (usage, help, usage errors) comes out in Chinese without touching argparse."""

import argparse
import gettext

import pytest

from kejiju_desktop import cli


def test_importing_the_command_line_leaves_argparse_untouched():
    cli.build_parser()
    assert argparse._ is gettext.gettext


def _stderr_of(argv, capsys) -> str:
    assert cli.main(argv) == cli.EXIT_USAGE
    return capsys.readouterr().err


def test_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["report", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("用法：kejiju report")
    assert "选项" in out and "显示本帮助并退出" in out and "usage" not in out and "options" not in out


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (["export", "--db", "x.kjdb", "--table", "patents"], "缺少必需的参数：-o/--output"),
        (["check", "--db", "x.kjdb", "--bogus"], "无法识别的参数：--bogus"),
        (
            ["export", "--db", "x.kjdb", "--table", "nope", "-o", "y"],
            "参数 --table：无效的选项 'nope'（可选：",
        ),
        (["report", "--db", "x.kjdb", "--year"], "参数 --year：需要一个值"),
        (["report", "--db", "x.kjdb", "--year", "x", "-o", "y"], "参数 --year：无效的值：'x'"),
        (["import", "--db", "x.kjdb", "--table", "patents", "a.xlsx", "--d"], "选项 --d 不明确，可能是"),
    ],
)
def test_usage_errors_are_chinese(argv, sentence, capsys):
    err = _stderr_of(argv, capsys)
    assert err.startswith("用法：kejiju"), err
    assert sentence in err, err
