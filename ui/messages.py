"""Chinese wording of the window: menus, tabs, form, dialogs, copies and merges, the report pane."""

import kejiju_desktop.messages
from kejiju_desktop import APP_NAME

# Menus and actions
MENU_FILE = kejiju_desktop.messages.WORD_FILE
MENU_EDIT, MENU_DATA, MENU_REPORT, MENU_HELP = "编辑", "数据", "报告", "帮助"
MENU_NAMES = (MENU_FILE, MENU_EDIT, MENU_DATA, MENU_REPORT, MENU_HELP)
ACT_NEW_FILE = "新建数据文件…"
ACT_OPEN = "打开…"
ACT_RECENT = "最近打开"
ACT_RECENT_NONE = "（无）"
ACT_QUIT = "退出"
ACT_NEW = "新增"
ACT_SAVE = "保存"
ACT_DELETE = "删除"
ACT_CANCEL = "撤销修改"
ACT_UNDO_DELETE = "撤销删除"
ACT_RECYCLE = "回收站…"
ACT_REFRESH = "刷新"
ACT_FIND = "查找"
ACT_ABOUT = "关于…"
TOOLBAR = "常用"

# Window
TITLE = "{name} - " + APP_NAME
TITLE_NONE = APP_NAME
TITLE_READ_ONLY = "（只读）"
STATUS_NO_FILE = "未打开数据文件"
STATUS_READ_ONLY = "只读"
STATUS_LOCKED = "他人正在使用"
STATUS_COUNTS = "共 {total} 条"
STATUS_FILTERED = "共 {total} 条，筛选出 {shown} 条"
STATUS_COUNTING = "正在统计…"
STATUS_SAVED = "已保存。"
STATUS_DELETED = "已删除，可在“编辑 → 回收站”中恢复。"
ABOUT_TITLE = "关于"
ABOUT_TEXT = "{app}\n版本 {version}\n\n县科学技术局项目、企业、专利、奖励、活动记录与年度工作报告。"
FILE_FILTER = "数据文件 (*.kjdb);;所有文件 (*)"
NEW_FILE_TITLE = "新建数据文件"
OPEN_FILE_TITLE = "打开数据文件"
OPEN_FAILED_TITLE = "无法打开数据文件"
NOTICE_TITLE = "请注意"
NO_FILE_TITLE = "没有可用的数据文件"
NO_FILE_TEXT = "请新建一个数据文件，或打开其他数据文件。"
ACT_RESTORE = "恢复备份…"
NO_FILE_OPEN = "打开其他文件"
RECENT_MISSING = "找不到“{path}”，已从“最近打开”中移除。"

# Tabs: search and filters
SEARCH_PLACEHOLDER = "搜索{fields}（Ctrl+F）"
FILTER_ALL_YEARS = "全部年度"
FILTER_YEAR = kejiju_desktop.messages.LIST_YEAR
FILTER_ALL = "全部{label}"
CLEAR_FILTERS = "清除筛选"

# Form
FORM_NEW = "新增{label}"
FORM_EDIT = "编辑{label}：{name}"
FORM_EMPTY = "在上方列表中选择一条记录，或点“新增”。"
REQUIRED_MARK = " *"
DATE_PLACEHOLDER = "如 2012-03-05"
YEAR_PLACEHOLDER = "如 2012"
MONEY_PLACEHOLDER = "万元"
UNIT_PLACEHOLDER = "输入单位名称的一部分选择"
PICK_DATE = "选择日期"
CLEAR_DATE = "清空"
EDIT_CHOICES = "编辑可选项…"
EDIT_CHOICES_TITLE = "编辑“{label}”的可选项"
EDIT_CHOICES_HINT = "每行一项："
UNKNOWN_UNIT = "{label}“{value}”不在单位列表中，请先在“企业”页新增该单位。"
CONFIRM_WARNINGS_TITLE = "请确认"
CONFIRM_WARNINGS = "{problems}\n\n确认无误并保存吗？"
UNSAVED_TITLE = "未保存的修改"
UNSAVED_TEXT = "“{label}”有未保存的修改，是否保存？"
BTN_DISCARD, BTN_CANCEL = "不保存", "取消"
BTN_YES, BTN_NO = "确认保存(&S)", "返回修改(&N)"
SAVE_FAILED = "未能保存：{reason}"
DELETE_TITLE = "删除记录"
DELETE_TEXT = "删除{label}“{name}”？删除后可在“编辑 → 回收站”中恢复。"
DELETE_UNIT_HAS_CHILDREN = "该单位还有 {n} 条资质认定记录，它们会随单位一起留在文件中。"
READ_ONLY_REFUSED = "数据文件以只读方式打开，不能修改。"
TIME_FORMAT = kejiju_desktop.messages.TIME_FORMAT

# Qualifications under the enterprise form
QUAL_TITLE = "资质认定"
QUAL_ADD = "新增资质"
QUAL_EDIT = "编辑资质"
QUAL_DELETE = "删除资质"
QUAL_DIALOG = "{action}：{unit}"
QUAL_NO_UNIT = "先保存单位，再添加它的资质认定。"

# Recycle bin
BIN_TITLE = kejiju_desktop.messages.LIST_RECYCLE_BIN
BIN_HINT = "已删除的记录。恢复后回到原来的页签；永久删除后不能恢复（合并其他科室的文件时也不会再出现）。"
BIN_RESTORE = "恢复"
BIN_PURGE = "永久删除…"
BTN_CLOSE = "关闭"
BIN_DELETED_AT = "删除时间"
BIN_KIND, BIN_NAME, BIN_OPERATOR, BIN_ALL_KINDS = "类别", "名称", "操作人", "全部"
BIN_PURGE_TITLE = "永久删除"
BIN_PURGE_TEXT = "永久删除选中的 {n} 条记录？此操作不能撤销。"
BIN_EMPTY = "回收站是空的。"
BIN_RESTORED = "已恢复 {n} 条记录。"

# Tasks and errors
TASK_CANCELLED = "已取消。"
EXTENSION_FAILED = "部分菜单功能未能加载，详细情况已记入日志。"
ERROR_TITLE = "出错了"
ERROR_TEXT = "程序遇到意外问题，刚才的操作没有完成，数据文件未受影响。\n详细情况已记入日志：{path}"
OPEN_ERROR = "无法打开“{name}”：文件可能正被其他程序占用，或存储设备有问题。详细情况已记入日志。"
REPLACE_OPEN_FILE = "“{name}”正在使用中，不能用新的空文件替换它。请换一个文件名。"
WRITE_FAILED = (
    "数据文件暂时无法写入（可能正被其他程序占用，或存储设备已拔出），这次修改没有保存。请稍后再试。"
)

# Settings and the operator's name
ACT_SETTINGS = "设置…"
SETTINGS_TITLE = "设置"
SETTINGS_HINT = "这些设置保存在数据文件中，与命令行 settings 的设置项相同。"
SETTINGS_READ_ONLY = "数据文件是只读的，设置只能查看，不能修改。"
OPERATOR_TITLE = kejiju_desktop.messages.SETTING_OPERATOR
OPERATOR_ASK = "请输入您的姓名。新增、修改和删除记录时会记下操作人（以后可在“文件 → 设置…”中修改）。"

# Import wizard: its ticks, and the summary sentences naming them (the command line names its flags)
IMPORT_TICK_CREATE_UNITS = "自动新增不在单位列表中的单位"
IMPORT_TICK_GOOD_ROWS_ONLY = kejiju_desktop.messages.OPTION_GOOD_ROWS_ONLY
IMPORT_TICK_ACCEPT_WARNINGS = kejiju_desktop.messages.OPTION_ACCEPT_WARNINGS
IMPORT_REFUSED_ERRORS = (
    "未写入任何数据：有 {n} 行有错误。请改正后重新导入，或勾选“" + IMPORT_TICK_GOOD_ROWS_ONLY + "”。"
)
IMPORT_REFUSED_WARNINGS = "有 {n} 行只有提醒；核对无误后可勾选“" + IMPORT_TICK_ACCEPT_WARNINGS + "”再导入。"
IMPORT_UNKNOWN_UNITS = (
    "有 {n} 行的单位不在单位列表中：可勾选“"
    + IMPORT_TICK_CREATE_UNITS
    + "”，或先在“企业”页新增这些单位再导入。"
)
IMPORT_NEW_CHOICES = "以下值不在可编辑的列表中，导入时将一并新增（点“导入”前不会写入）：\n{lines}"
IMPORT_NEW_CHOICES_LINE = "{label}：{values}（共 {n} 项）"
IMPORT_MAP_TITLE = "未识别的列可指定为某一字段（表头相同的文件下次自动沿用）："
IMPORT_MAP_IGNORE = "（忽略此列）"

# === The 文件 menu entries for copies, backups, checks and merges
ACT_COPY = "另存副本…"
ACT_CHECK = "检查数据文件…"
ACT_MERGE = "合并其他数据文件…"
REPORT_FILTER = "文本文件 (*.txt)"
NO_FILE = "请先打开数据文件。"
READ_ONLY = "数据文件以只读方式打开，不能合并或修复。"
MERGE_SERVER_READ_ONLY = "当前账号只能查阅服务器数据库“{name}”，不能向其中合并。"

COPY_TITLE = "另存副本"
COPY_DONE = "已另存副本：\n{path}"
COPY_FAILED = "副本未写出：{reason}"
COPY_NAME = "{stem}-副本{suffix}"

BACKUP_DONE_STATUS = "已自动备份（{reason}）。"
BACKUP_FAILED_STATUS = "自动备份未完成：{reason}"

RESTORE_TITLE = "恢复备份"
RESTORE_PICK_FILE = "选择要恢复的数据文件（可以是打不开的文件）"
RESTORE_HINT = "选择一个备份恢复。恢复前，当前文件会先另行备份，之后也可以再恢复回来。"
RESTORE_HEADERS = ("备份时间", "原因", "记录数", "大小")
RESTORE_RECORDS = "{n} 条"
RESTORE_BUTTON = "恢复所选备份"
RESTORE_OTHER = "其他数据文件的备份…"
RESTORE_CONFIRM = "用 {time} 的备份替换当前数据文件“{name}”吗？\n当前文件会先另行备份。"
RESTORE_FAILED = "未恢复：{reason}"

CHECK_TITLE = kejiju_desktop.messages.ACTION_CHECK
CHECK_TASK = "正在检查数据文件…"
CHECK_REPAIR = "修复"
CHECK_SAVE = "保存报告…"
REPAIR_TASK = "正在修复数据文件…"
REPAIR_CONFIRM = (
    "修复会先自动备份，再把过期的资质认定标为“已过期”、重建索引并整理文件；不会删除任何记录。继续吗？"
)
REPORT_SAVED = "报告已保存到：\n{path}"
CHECK_REPORT_NAME = "检查报告.txt"

MERGE_TITLE = "合并其他数据文件"
MERGE_PICK = "选择要合并进来的数据文件（其他科室的文件）"
MERGE_READING = "正在读取并比对两个文件…"
MERGE_WRITING = "正在合并…"
MERGE_CONFIRM = "确认合并"
MERGE_SAVE = "保存合并报告…"
MERGE_HEADERS = ("合并", "变化", "类别", "记录", "说明", "采用对方")
MERGE_HINT = (
    "勾选要合并的记录；两边不同、不能自动定下的“冲突”记录，默认采用较新的一边，勾选“采用对方”即用对方的内容，"
    "否则保留本方。选中一行，下方并列两边不同的字段。确认前不会写入任何内容。"
)
MERGE_FIELD = "字段"
MERGE_CURRENT = "{name}：{detail}"
MERGE_OURS = "本方（{name}）"
MERGE_THEIRS = "对方（{name}）"
MERGE_NOTHING = kejiju_desktop.messages.MERGE_NOTHING
MERGE_REFUSED = kejiju_desktop.messages.REFUSED_INCOMING
MERGE_DONE = "合并完成：写入 {n} 条记录。合并前的文件已自动备份为“{backup}”，可通过“文件 → 恢复备份”退回。"
MERGE_REPORT_NAME = "合并报告-{date}.txt"
SERVER_MERGED = "合并完成：写入 {n} 条记录。合并前已把服务器数据库整个复制为数据文件“{backup}”，需要时可交给管理员据此找回。"

LOCAL_TITLE = "数据文件在U盘或网络位置上"
LOCAL_TEXT = (
    "数据文件“{name}”在U盘、移动硬盘或网络共享文件夹上。在这种位置直接编辑，拔出U盘或网络中断时文件可能损坏。\n\n"
    "建议复制到本机打开（原文件不变），用完后再用“另存副本”拷回。"
)
LOCAL_COPY = "复制到本机打开"
LOCAL_KEEP = "仍在原位置打开"
LOCAL_FAILED = "未能复制到本机：{reason}"
LOCAL_FOLDER = "本机副本"

# === The report composer pane and the 年度目标 dialog
PANE_TITLE = "年度报告"
ACT_EXPORT = "一键导出年度报告"
ACT_TARGETS = "年度目标…"
SHORTCUT_EXPORT = "Ctrl+E"

LABEL_YEAR = "报告年度："
LABEL_TITLE = "标题："
LABEL_FONTS = "字体方案："
LABEL_SECTIONS = "报告内容（勾选、拖动排序）"
LABEL_HEADING = "本部分标题："
LABEL_CLERK_TEXT = "本部分自撰文字（每行一段；以“（一）”或“1.”开头的行按小标题排版）"
LABEL_PREVIEW = "预览（根据数据自动生成的文字与图表）"
CHECK_CHART = "附图表"
CHECK_TABLE = "附明细表"
ADD_SECTION = "添加部分"
BTN_REMOVE = "删除部分"
BTN_UP = "上移"
BTN_DOWN = "下移"
NO_HEADING = "（无标题，作为开篇段落）"
TABLE_ONLY_NOTE = (
    "这一部分只有一张表，排在落款之后：列出有年度目标或有上年数的每个指标（指标、单位、目标、完成、完成率、上年、同比），"
    "数字随数据和年度目标自动更新；没有标题，也不写文字。"
)
PREVIEW_EMPTY = "本部分暂无根据数据生成的文字。"
PREVIEW_NO_FILE = "未打开数据文件。"
PREVIEW_TABLE = "附件：{title}（{n} 行，排在落款之后）"
PREVIEW_TABLE_CUT = "预览只列前 {shown} 行。"
PREVIEW_CHART_PENDING = "正在绘制图表…"
PREVIEW_CHART_FAILED = "图表未能绘制，详情见日志文件；导出时会再试一次。"
PREVIEW_CAPTION = "图　{title}"
PREVIEW_NO_INDICATOR_TABLE = (
    "不附主要科技指标完成情况表：本年度尚未设定年度目标（点“年度目标…”设定），或未勾选附明细表。"
)
PREVIEW_COUNTING = "正在统计 {year} 年的数据…"
PREVIEW_COUNT_FAILED = "统计数据时出错，详情见日志文件。"
PREVIEW_FAILED = "生成预览时出错，详情见日志文件。"
READ_ONLY_NOTE = "数据文件为只读，报告内容不能修改，仍可导出。"
NEW_SECTION = kejiju_desktop.messages.NEW_SECTION_HEADING
ADD_PROMPT = "新部分的标题："

SAVE_TITLE = "导出年度报告"
SAVE_FILTER = "Word 文档 (*.docx)"
DEFAULT_FILE = "{title}.docx"
EXPORT_TITLE = "正在导出年度报告…"
EXPORT_DONE_TITLE = "导出完成"
EXPORT_DONE = "年度报告已导出到：\n{path}\n\n是否现在打开？"
EXPORT_FAILED_TITLE = "导出失败"
EXPORT_FAILED = "导出年度报告时出错：{reason}\n详细信息已写入日志。"
REPORT_SAVE_FAILED = "报告内容未能保存：{reason}"
ACT_INSERT_FIELD = "插入指标(&I)…"
ACT_COPY_PREVIOUS = "沿用上年文字"
TIP_INSERT_FIELD = "在光标处插入一个指标，如【专利申请量】；预览和导出的报告中显示该年的数值。"
TIP_COPY_PREVIOUS = "把上一年报告各部分的自撰文字（含指标）复制到本年，指标按本年数据填写。"
COPY_PREVIOUS_ASK = (
    "将 {previous} 年报告各部分的自撰文字（含其中的指标）复制到 {year} 年的报告中？\n"
    "文中的指标将按 {year} 年的数据填写；复制后文字可以随意修改。"
)
PICKER_TITLE = "插入指标（{year}年）"
PICKER_HINT = "选中一格后双击或按回车：在“指标”或“本年”列插入本年数值，在其他列插入对应的数值（如同比）。"
BTN_INSERT = "插入"
FIELD_WARNINGS_TITLE = "有指标无法填写"
FIELD_WARNINGS = "导出之前请注意：\n\n{warnings}\n\n仍然导出，还是返回修改？"
BTN_EXPORT_ANYWAY = "仍然导出(&E)"
LABEL_SIGNED_ON = "另定日期："
SIGNED_ON_FIELD = "落款日期"
SIGNED_ON_EXPORT_DAY = "落款日期：{date}（导出当天）"
SIGNED_ON_SET = "落款日期：{date}（已设定）"
SIGNED_ON_PLACEHOLDER = "留空为导出当天"

TARGETS_TITLE = "{year}年度目标"
TARGET_HEADERS = ("指标", "目标值", "实际值", "备注")
TARGET_COMPUTED = "（自动统计：{value}）"
TARGET_NEEDS_INPUT = "（自动统计：请先录入“{name}”的实际值）"
BTN_ADD_TARGET = "添加指标"
BTN_REMOVE_TARGET = "删除指标"
TARGETS_HINT = "下拉列表中的指标由程序根据记录自动统计；其他指标（如 技术交易额(万元)）请填写实际值。"
TARGETS_SAVE_FAILED = "年度目标未保存"
NOT_A_NUMBER = "“{text}”不是数字。"

# === The Excel import wizard
WIZARD_TITLE = kejiju_desktop.messages.ACTION_IMPORT
WIZARD_FILE_LABEL = "Excel 文件："
WIZARD_SHEET_LABEL = "工作表："
WIZARD_TABLE_LABEL = "导入到："
WIZARD_BROWSE = "选择文件…"
WIZARD_FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.xlsb *.ods *.csv *.txt);;所有文件 (*)"
WIZARD_DUPLICATE_LABEL = "重复记录："
WIZARD_SKIP = "跳过（默认）"
WIZARD_UPDATE = "用表中的数据更新"
WIZARD_CREATE_UNITS = IMPORT_TICK_CREATE_UNITS
WIZARD_GOOD_ROWS_ONLY = IMPORT_TICK_GOOD_ROWS_ONLY + "（默认：有一行有错就全部不导入）"
WIZARD_ACCEPT_WARNINGS = IMPORT_TICK_ACCEPT_WARNINGS + "（如早期试点的信用代码），并记为已确认"
WIZARD_CHECK = "检查"
WIZARD_IMPORT = "导入"
WIZARD_MATCHED = "已识别的列：{columns}"
WIZARD_UNKNOWN = "未识别的列（将忽略）：{columns}"
WIZARD_NO_FILE = "请选择要导入的 Excel 文件。"
WIZARD_PREVIEW_TITLE = "预览（前 {n} 行，红色为有问题的单元格，鼠标停留可看原因）"
WIZARD_ISSUES_HEADERS = ("行", "列", "原因")
WIZARD_TASK_CHECK = "正在检查 Excel 表…"
WIZARD_TASK_IMPORT = "正在导入…"
WIZARD_FAILED = "未能完成：{reason}"
WIZARD_CANCELLED = "已取消，未写入任何数据。"
WIZARD_IGNORED_TIP = "未识别的列，导入时忽略"

# === The 数据 menu's Excel entries
ACT_EXPORT_EXCEL = "导出Excel…"
ACT_EXPORT_TEMPLATE = "导出空白模板…"
ACT_IMPORT_EXCEL = "从Excel导入…"
EXCEL_PICK_TABLE_TITLE = "选择表"
EXCEL_PICK_TABLE = "要导出哪一类记录？"
EXCEL_SAVE_FILTER = "Excel 工作簿 (*.xlsx)"
EXCEL_TEMPLATE_NAME = "{label}导入模板.xlsx"
EXCEL_EXPORT_NAME = "{label}.xlsx"
EXCEL_TASK_EXPORT = "正在导出 Excel…"
EXCEL_EXPORTED = "已导出 {n} 条{label}记录到：\n{path}"
EXCEL_TEMPLATE_DONE = "已生成空白模板：\n{path}"
EXCEL_FAILED = "导出未完成：{reason}"

# === A record's 历史记录 (ui/dialogs/history_dialog.py): Ctrl+H in every tab and in the recycle bin
ACT_HISTORY = "历史记录"
ACT_HISTORY_MENU = "历史记录…"
SHORTCUT_HISTORY = "Ctrl+H"
HISTORY_BUTTON = "历史记录(&H)"
HISTORY_TITLE = "历史记录 — {name}"
HISTORY_HEAD = "{label}“{name}”的每一次修改，最新的在前："
HISTORY_HEADERS = ("时间", "操作员", "操作 / 字段", "原值", "新值")
HISTORY_RESTORE = "恢复此值(&R)"
HISTORY_HINT = "选中某个字段的一行，按“恢复此值”可把它改回这次修改之前的值（作为一次新的修改记入历史）。"
HISTORY_IN_BIN = "这条记录在回收站中：恢复记录后才能恢复字段的值。"
HISTORY_EMPTY = "这条记录还没有修改记录。"
HISTORY_EMPTY_VALUE = "（空）"
HISTORY_NOT_KEPT = "（未记录）"
HISTORY_PURGED = "（内容已随永久删除清除）"
HISTORY_THEIR_OPERATOR = "{operator}（另一科室：{their}）"
HISTORY_CONFIRM_TITLE = "恢复此值"
HISTORY_CONFIRM = "把“{label}”恢复为“{value}”？\n这会作为一次新的修改保存，并记入历史记录。"
HISTORY_NO_RECORD = "请先在列表中选中一条记录，再看它的历史记录。"
HISTORY_RESTORED = "已把“{label}”恢复为“{value}”。"

# === The current list exported or printed (ui/list_actions.py, ui/list_printer.py)
ACT_EXPORT_LIST = "导出当前列表…"
ACT_PRINT_LIST = "打印当前列表…"
TOOL_EXPORT_LIST = "导出列表"
TOOL_PRINT_LIST = "打印列表"
LIST_NO_TAB = "请先切换到项目、企业、专利、奖励或活动中要导出或打印的列表。"
PRINT_TASK = "正在准备打印…"
PRINT_FAILED = "没能读出要打印的记录，请稍后再试。"
PRINT_PAGE = "第 {page} 页 / 共 {pages} 页"
PRINT_PREVIEW_TITLE = "打印预览 - {title}"

# === 全局搜索 (ui/global_search.py)
ACT_GLOBAL_SEARCH = "全局搜索…"
GLOBAL_SEARCH_TITLE = "全局搜索"
GLOBAL_SEARCH_PLACEHOLDER = "搜索全部记录（Ctrl+K）"
GLOBAL_SEARCH_HINT = "在项目、企业、专利、奖励、活动中一起搜索；↑↓ 选择，回车打开。"
GLOBAL_SEARCH_SEARCHING = "正在搜索…"
GLOBAL_SEARCH_NONE = "没有找到含“{words}”的记录。"
GLOBAL_SEARCH_GROUP = "{label}（{n} 条）"
GLOBAL_SEARCH_GROUP_COUNTING = "{label}（{n} 条以上，正在统计…）"
GLOBAL_SEARCH_SHOW_ALL = "在“{label}”页中查看全部 {n} 条…"
GLOBAL_SEARCH_FAILED = "搜索未完成，请稍后再试。"
PRINT_LONG = "当前列表有 {n} 条记录，约 {pages} 页。确定要打印吗？可先用年度、筛选或搜索缩小范围。"

# === Two clerks, one record (the form's conflict dialog)
TIME_OF_DAY_FORMAT = "%H:%M"  # a time of today: 10:42
CONFLICT_TITLE = "记录已被他人修改"
CONFLICT_HEADING = "该记录已被 {operator} 于 {time} 修改"
CONFLICT_HINT = (
    "您输入的内容尚未保存。“重新载入”放弃您的修改、显示对方的版本；“仍然保存”用您的版本替换对方的版本。"
)
CONFLICT_HEADERS = ("字段", "您的修改", "对方的版本")
CONFLICT_RELOAD = "重新载入"
CONFLICT_SAVE_ANYWAY = "仍然保存"
CONFLICT_KEEP_EDITING = "暂不处理"
DELETED_MEANWHILE_TITLE = "记录已被删除"
DELETED_MEANWHILE = (
    "{reason}\n您输入的内容仍在表单中。要把它另存为一条新记录吗？（被删除的记录仍在回收站中。）"
)
SAVE_AS_NEW = "另存为新记录"

# === The 工作台 tab (ui/workbench_tab.py); its items' words are the core's (kejiju_desktop/messages.py)
WORKBENCH_TAB = "工作台"
WORKBENCH_FILTER = "工作台：{label}（{n}）"
WORKBENCH_HEAD = "{date}　证书到期提前 {days} 天提醒（天数可在“文件 → 设置…”中修改）"
WORKBENCH_LOADING = "正在汇总今天的待办事项…"
WORKBENCH_NOTHING = "无待办事项"
WORKBENCH_NO_FILE = PREVIEW_NO_FILE
WORKBENCH_NO_TARGETS = "本年度尚未设定目标（数据 → " + ACT_TARGETS + "）"
WORKBENCH_DONE = "完成 {value} / 目标 {target}"
WORKBENCH_PREVIOUS = "{label} {value}"
WORKBENCH_FAILED = "工作台未能汇总，详细情况已记入日志。"
WORKBENCH_ITEM_TIP = "打开这些记录（单击或按回车）"
WORKBENCH_MONTH = "{month}月"
WORKBENCH_MONTHS_EMPTY = "{last}年和{year}年都还没有登记专利申请。"

# === 文件 → 连接服务器数据库… (ui/dialogs/server_dialog.py, ui/window_server.py)
ACT_CONNECT = "连接服务器数据库…"
SERVER_TITLE = "连接服务器数据库"
SERVER_HOST = "服务器地址"
SERVER_PORT = "端口"
SERVER_DATABASE = "数据库名"
SERVER_ACCOUNT = "登录账号"
SERVER_PASSWORD = "密码"
SERVER_REMEMBER = "记住密码（保存在本机系统的凭据管理器中）"
SERVER_REMEMBER_UNAVAILABLE = "本机没有可用的系统凭据存储，不能记住密码；每次连接时请输入密码。"
SERVER_SSL = "要求加密连接（SSL）"
SERVER_FILL_IN = "请填写服务器地址、数据库名和账号。"
SERVER_CONNECTING = "正在连接服务器数据库 {name}…"
SERVER_CONNECTED = "已连接服务器数据库 {name}"
NOT_ON_SERVER = (
    "“{action}”只适用于数据文件；当前打开的是服务器数据库“{name}”，服务器由管理员用 pg_dump 备份。"
)
SERVER_OPEN_ERROR = "连接服务器数据库“{name}”时出错，详细情况已记入日志。"
LIVE_UNAVAILABLE = (
    "服务器数据库“{name}”尚未启用实时更新（请管理员升级服务器数据库）；同事的修改请按“刷新”查看。"
)

# An older server database this account may upgrade (ui/window_server.py)
SERVER_UPGRADE_TITLE = "升级服务器数据库"
SERVER_UPGRADE_ASK = (
    "{reason}\n\n当前账号可以升级它。现在升级吗？升级后，各位同事须使用同样版本的本程序；"
    "升级前建议先由管理员用 pg_dump 备份服务器数据库。"
)
SERVER_UPGRADE_NOT_ALL = "当前账号不是数据库超级用户：升级会补上其余部分，但不能禁止“查看”账号占用写锁，这一项须由超级用户运行 server init。"
SERVER_UPGRADING = "正在升级服务器数据库 {name}…"
SERVER_UPGRADE_FAILED = "升级服务器数据库“{name}”时出错，详细情况已记入日志。"
# A tab's questions to its store on their way, or failed (ui/entity_tab.py, ui/table_model.py)
READ_FAILED = "记录暂时读不出来（数据文件或服务器出了问题），详细情况已记入日志。请稍后按“刷新”再试。"
TAB_BUSY = "正在读取…"
FORM_SAVING = "正在保存…"
# === 文件 → 用户管理… (ui/dialogs/users_dialog.py): a 管理员's accounts on a server
ACT_USERS = "用户管理…"
USERS_TITLE = "用户管理"
USERS_HEADERS = ("账号", "用户组", "状态")
USERS_KIND_NAMES = ("管理员", "录入员", "查看")  # in the order of db.server_accounts.KINDS
USERS_STATES = ("已停用", "可以登录")  # by whether the account may log in
USERS_ADD = "新建账号(&N)…"
USERS_ROLE = "更改用户组(&G)…"
USERS_PASSWORD = "设置密码(&P)…"
USERS_DISABLE = "停用账号(&D)"
USERS_NOT_ON_SERVER = "用户管理只用于服务器数据库：请先用“文件 → 连接服务器数据库…”连接。"
USERS_CHECKING = "正在查询当前账号能否管理用户…"
USERS_NOT_ADMIN = "只有“管理员”账号可以管理用户；当前账号不是管理员。"
USERS_CHECK_FAILED = "未能查询当前账号能否管理用户（服务器没有回应），请重新连接后再试。"
USERS_LOADING = "正在读取账号列表…"
USERS_WORKING = "正在提交到服务器…"
USERS_NONE = "本数据库还没有账号，可按“新建账号…”添加。"
USERS_COUNT = "共 {n} 个账号。选中一个账号后可更改用户组、设置密码或停用。"
USERS_ADDED = "账号“{name}”已建好，用户组为“{group}”。"
USERS_MOVED = "账号“{name}”现在属于用户组“{group}”。"
USERS_STOPPED = "账号“{name}”已停用，今后不能再登录（它的修改记录仍保留）。"
USERS_PASSWORD_SET = "账号“{name}”的新密码已生效，该账号可以登录。"
USERS_DISABLE_TITLE = "停用账号"
USERS_DISABLE_ASK = "停用账号“{name}”？停用后该账号不能再登录；以后为它设置新密码即可重新启用。"
USERS_FAILED = "服务器未能完成这项操作（连接可能已断开），详细情况已记入日志。"
ACCOUNT_ADD_TITLE = "新建账号"
ACCOUNT_ROLE_TITLE = "更改用户组"
ACCOUNT_PASSWORD_TITLE = "设置密码"
ACCOUNT_NAME = "账号名"
ACCOUNT_KIND = "用户组"
ACCOUNT_PASSWORD_AGAIN = "再次输入密码"
ACCOUNT_NAME_HINT = "账号对整个服务器有效，建议用姓名，如“张三”；密码不会显示，也不会记入日志。"
ACCOUNT_KIND_HINT = "管理员：管理账号、永久删除记录；录入员：新增和修改记录；查看：只能查阅，不能修改。"
ACCOUNT_NAME_EMPTY = "请填写账号名。"
ACCOUNT_PASSWORD_EMPTY = "请输入密码，并再输入一次。"
ACCOUNT_PASSWORD_MISMATCH = "两次输入的密码不一致，请重新输入。"

# 恢复备份… on a server window: the copies taken before merges, which can only be saved as data files.
RESTORE_SERVER_HINT = (
    "服务器数据库不能用备份覆盖恢复：下面是合并前留下的服务器副本，可将选中的一个另存为数据文件打开查看，"
    "需要的记录再用“合并其他数据文件”并回服务器。"
)
RESTORE_NO_SERVER_BACKUPS = (
    "服务器数据库“{name}”还没有合并前留下的副本（服务器本身由管理员用 pg_dump 备份）。"
)
RESTORE_SAVE_AS = "另存为数据文件…"
RESTORE_SAVE_TITLE = "另存服务器备份"
RESTORE_SAVE_NAME = "{database}-{stamp}.kjdb"
