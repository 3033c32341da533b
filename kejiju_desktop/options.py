"""What the window and the command line share: exit codes, the Chinese argument parser, the window's options."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable

from kejiju_desktop import APP_NAME, __version__, fields

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_USAGE = 0, 1, 2, 3
TABS = ("workbench", *fields.TAB_TABLES, "report")

# argparse's own English, in Chinese: a usage error arrives composed, so it is matched against the
# templates it came from (argparse is left alone: it looks its `_` up process-wide).
_ARGPARSE_ERRORS = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"the following arguments are required: (?P<args>.*)", "缺少必需的参数：{args}"),
        (r"unrecognized arguments: (?P<args>.*)", "无法识别的参数：{args}"),
        (
            r"invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)",
            "无效的选项 {value}（可选：{choices}）",
        ),
        (r"argument (?P<argument>[^:]+): (?P<message>.*)", "参数 {argument}：{message}"),
        (r"expected one argument", "需要一个值"),
        (r"invalid \w+ value: (?P<value>.*)", "无效的值：{value}"),  # the type is a Python name (int)
        (
            r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)",
            "选项 {option} 不明确，可能是 {matches}",
        ),
        (r"not allowed with argument (?P<argument>.*)", "不能与参数 {argument} 同时使用"),
    )
)
USAGE_PREFIX = "用法："
HELP_TITLES = {"positional arguments": "位置参数", "options": "选项"}
HELP_HELP = "显示本帮助并退出"


def _chinese_error(message: str) -> str:
    for pattern, chinese in _ARGPARSE_ERRORS:
        found = pattern.fullmatch(message)
        if found:
            return chinese.format(**{key: _chinese_error(part) for key, part in found.groupdict().items()})
    return message


class ChineseFormatter(argparse.HelpFormatter):
    """Help and usage headed 用法：."""

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, USAGE_PREFIX if prefix is None else prefix)


class ChineseParser(argparse.ArgumentParser):
    """ArgumentParser whose help and usage errors are Chinese and whose usage errors exit with code 3."""

    def __init__(self, *args, add_help: bool = True, **kwargs):
        kwargs.setdefault("formatter_class", ChineseFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        for group in self._action_groups:
            group.title = HELP_TITLES.get(group.title, group.title)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=HELP_HELP)

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{_chinese_error(message)}\n")


def build_window_parser(
    add_commands: Callable[[argparse._SubParsersAction], None] | None = None,
) -> ChineseParser:
    """The options of the window (DESIGN §7); the command line adds its sub-commands by `add_commands`."""
    parser = ChineseParser(prog="kejiju", description=f"{APP_NAME}：不带子命令时打开图形界面。")
    parser.add_argument(
        "--version", action="version", version=f"{APP_NAME} {__version__}", help="显示版本号并退出"
    )
    parser.add_argument("--db", metavar="文件", help="数据文件路径")
    parser.add_argument("--screenshot", metavar="PNG", help="离屏渲染主窗口并保存为图片后退出")
    parser.add_argument("--tab", choices=TABS, help="截图时显示的页签")
    # Declared for the window too, so that its usage line says that sub-commands exist.
    commands = parser.add_subparsers(dest="command", metavar="子命令", parser_class=ChineseParser)
    if add_commands is not None:
        add_commands(commands)
    return parser
