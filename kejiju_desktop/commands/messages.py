"""Every Chinese sentence of the command line: help texts, metavars, errors and outcomes, in one place.

argparse's own wording (用法：, 缺少必需的参数：…) stays in kejiju_desktop/options.py, which the window
shares and which may import only the specs.
"""

import kejiju_desktop.messages

NO_DB = "{prog} {command}：错误：缺少 --db 数据文件"

# --- help of the options and sub-commands
METAVAR_FILE = kejiju_desktop.messages.WORD_FILE
HELP_DB = "数据文件路径"
HELP_FORCE = "目标文件已存在时覆盖"
HELP_INIT = "新建空数据文件"
HELP_DEMO = "新建含演示数据（2011–2013 年）的数据文件"
HELP_CHECK = kejiju_desktop.messages.ACTION_CHECK
HELP_REPAIR = "修复可以安全修复的问题"
HELP_REPORT = "导出年度工作报告（Word）"
METAVAR_YEAR = "年度"
HELP_YEAR = "报告年度，如 2012"
METAVAR_DOCX = "输出.docx"
HELP_OUTPUT = "输出文件"
HELP_FONTS = "字体方案：standard 公文标准字体，windows 系统自带字体（默认按数据文件的字体方案设置）"
HELP_IMPORT = kejiju_desktop.messages.ACTION_IMPORT
METAVAR_TABLE = "表"
METAVAR_INPUT = "输入文件"
HELP_INPUT = "表格文件：.xlsx .xlsm .xls .xlsb .ods .csv .txt"
HELP_DRY_RUN_IMPORT = "只检查并报告，不写入"
METAVAR_SHEET = "工作表"
HELP_SHEET = "工作表名称（默认第一个未隐藏的工作表）"
HELP_ON_DUPLICATE = "重复记录：skip 跳过（默认），update 更新"
HELP_CREATE_UNITS = "自动新增不存在的单位"
HELP_GOOD_ROWS_ONLY = kejiju_desktop.messages.OPTION_GOOD_ROWS_ONLY
HELP_ACCEPT_WARNINGS = kejiju_desktop.messages.OPTION_ACCEPT_WARNINGS
HELP_EXPORT = "导出为 Excel"
METAVAR_XLSX_OUT = "输出.xlsx"
HELP_TEMPLATE = "只导出带下拉列表的空白模板"
HELP_BACKUP = "另存一致的副本"
METAVAR_COPY = "副本"
HELP_COPY = "副本文件"
HELP_MERGE = "合并其他科室的数据文件"
METAVAR_OTHER = "其他文件"
HELP_OTHER = "要合并进来的数据文件"
HELP_DRY_RUN_MERGE = "只预览，不写入"
HELP_SETTINGS = "列出或修改设置（行政区划、单位名称、县名、操作员等）"
METAVAR_SETTING = "设置项"
HELP_SETTING = "如 行政区划；不写则列出全部设置"
METAVAR_VALUE = "值"
HELP_VALUE = "新的值；不写则只显示该项"

# --- outcomes
INTERRUPTED = "命令已中止：未完成的修改已撤销，数据文件已关闭。"
CREATED = "已新建数据文件：{path}"
DEMO = "已生成演示数据文件：{path}（{summary}）"
TABLE_COUNT = "{label} {n} 条"
REPAIR_HINT = "可运行 check --repair 自动修复（修复前会自动备份）。"
SETTING_LINE = "{name}：{value}"
SETTING_CHOICES = "（可选：{choices}）"
SETTING_NOT_SET = "（未设置）"
SETTING_SAVED = "已设置 {name}：{value}"

# --- remind: the 工作台 as text
HELP_REMIND = "列出工作台的待办提醒（证书到期、项目节点、数据质量、年度目标）"
METAVAR_DAYS = "天数"
HELP_DAYS = "证书到期提前提醒的天数（默认按数据文件的设置，一般为 90）"
REMIND_HEAD = "工作台：{date}（证书到期提前 {days} 天提醒）"
REMIND_GROUP = "【{group}】"
REMIND_ITEM = "  {label}：{n} 条"
REMIND_NAME = "    · {name}"
REMIND_MORE = "    · ……等，共 {n} 条"
REMIND_NOTHING = "  无"
REMIND_TARGET = "  {name}：完成 {value}，目标 {target}{completion}；{previous_label} {previous}"
REMIND_COMPLETION = "，完成率 {percent}"
REMIND_NO_TARGETS = "  本年度未设定目标"
REMIND_MONTHS = "  {year}年：{months}"
REMIND_MONTH = "{month}月 {n}"
REMIND_UNKNOWN = "—"

HELP_SERVER = "管理服务器数据库：init 新建表和角色（由数据库管理员执行一次）"
METAVAR_ACTION = "操作"  # server init, users list|add|…
SERVER_INITIALISED = (
    "已初始化服务器数据库“{name}”：表归角色“{owner}”所有，用户组为“{admin}”“{editor}”“{viewer}”。"
)
HELP_USERS = "管理服务器数据库的账号：list 列出，add 新建，role 改用户组，disable 停用，password 改密码"
METAVAR_ACCOUNT = "账号"
HELP_ACCOUNT = "账号名（add、role、disable、password 需要）"
HELP_ROLE = "用户组：admin 管理员，editor 录入员，viewer 查看"
HELP_PASSWORD_STDIN = "从标准输入读取密码（一行），不在终端询问"
ACCOUNT_NAME_NEEDED = "请写出账号名，如：users --db 服务器地址 {action} 张三"
ACCOUNT_ROLE_NEEDED = "请用 --role admin|editor|viewer 指明用户组。"
PASSWORD_PROMPT = "账号“{name}”的新密码："
PASSWORD_EMPTY = "密码不能为空，未作改动。"
ACCOUNT_LINE = "{name}\t{group}\t{state}"
ACCOUNT_ENABLED = "可登录"
ACCOUNT_DISABLED = "已停用"
ACCOUNT_NONE = "本数据库还没有账号。"
ACCOUNT_ADDED = "已新建账号“{name}”，用户组“{group}”。"
ACCOUNT_MOVED = "账号“{name}”已改为用户组“{group}”。"
ACCOUNT_STOPPED = "账号“{name}”已停用，不能再登录。"
ACCOUNT_PASSWORD_SET = "已为账号“{name}”设置新密码。"
# The three groups by their --role words, as a clerk reads them.
GROUP_NAMES = {"admin": "管理员", "editor": "录入员", "viewer": "查看"}

# --- backup and merge with a server (commands/server_sync.py)
SERVER_MERGE_DONE = "合并完成：写入 {n} 条记录。合并前服务器数据库的副本已存为“{backup}”。"
MOVE_PREVIEW = (
    "服务器数据库“{server}”尚无数据：将把“{name}”整体迁入（记录、设置和选项、报告草稿、目标、修改记录）："
)
MOVE_COUNT = "  {kind}：{n} 条"
MOVE_DONE = "迁入完成：服务器数据库“{server}”现有该数据文件的全部内容。"

# --- faults of a server database (commands/basic.fail)
SERVER_UPGRADE_HINT = "当前账号可以升级它：请先用 pg_dump 备份，再运行 server init --db {url}"
SERVER_UPGRADE_PARTLY = "当前账号不是数据库超级用户，升级只能补上其余部分：禁止“查看”账号占用写锁一项须由超级用户（如 postgres）运行 server init。"
