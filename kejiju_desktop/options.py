"""What the window and the command line share: exit codes, the Chinese argument parser, the window's options."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from kejiju_desktop import APP_NAME, __version__, fields

EXIT_OK, EXIT_PROBLEMS, EXIT_UNUSABLE, EXIT_USAGE = 0, 1, 2, 3
TABS = (*fields.TAB_TABLES, "report")

# argparse's own English, in Chinese (argparse looks `_` up in its module at call time).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "expected one argument": "需要一个值",
    "invalid %(type)s value: %(value)r": "无效的值：%(value)r",  # the type is a Python name (int)
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
}


def _translate(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _translate  # type: ignore[attr-defined]


class ChineseParser(argparse.ArgumentParser):
    """ArgumentParser whose usage errors are Chinese and exit with code 3."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}：错误：{message}\n")


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
