"""Chinese wording of the main window, its tabs, form and dialogs, in one place."""

from kejiju_desktop import APP_NAME

# Menus and actions
MENU_FILE, MENU_EDIT, MENU_DATA, MENU_REPORT, MENU_HELP = "文件", "编辑", "数据", "报告", "帮助"
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
NO_FILE_NEW = "新建数据文件"
NO_FILE_RESTORE = "恢复备份…"
NO_FILE_OPEN = "打开其他文件"
NO_FILE_QUIT = "退出"
RECENT_MISSING = "找不到“{path}”，已从“最近打开”中移除。"

# Tabs: search and filters
SEARCH_PLACEHOLDER = "搜索{fields}（Ctrl+F）"
FILTER_ALL_YEARS = "全部年度"
FILTER_YEAR = "{year}年"
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
BTN_SAVE, BTN_DISCARD, BTN_CANCEL = "保存", "不保存", "取消"
BTN_YES, BTN_NO = "确认保存", "返回修改"
SAVE_FAILED = "未能保存：{reason}"
DELETE_TITLE = "删除记录"
DELETE_TEXT = "删除{label}“{name}”？删除后可在“编辑 → 回收站”中恢复。"
DELETE_UNIT_HAS_CHILDREN = "该单位还有 {n} 条资质认定记录，它们会随单位一起留在文件中。"
READ_ONLY_REFUSED = "数据文件以只读方式打开，不能修改。"

# Qualifications under the enterprise form
QUAL_TITLE = "资质认定"
QUAL_ADD = "新增资质"
QUAL_EDIT = "编辑资质"
QUAL_DELETE = "删除资质"
QUAL_DIALOG = "{action}：{unit}"
QUAL_NO_UNIT = "先保存单位，再添加它的资质认定。"

# Recycle bin
BIN_TITLE = "回收站"
BIN_HINT = "已删除的记录。恢复后回到原来的页签；永久删除后不能恢复（合并其他科室的文件时也不会再出现）。"
BIN_RESTORE = "恢复"
BIN_PURGE = "永久删除…"
BIN_CLOSE = "关闭"
BIN_DELETED_AT = "删除时间"
BIN_PURGE_TITLE = "永久删除"
BIN_PURGE_TEXT = "永久删除选中的 {n} 条记录？此操作不能撤销。"
BIN_EMPTY = "回收站是空的。"
BIN_RESTORED = "已恢复 {n} 条记录。"

# Tasks and errors
TASK_CANCEL = "取消"
TASK_CANCELLED = "已取消。"
EXTENSION_FAILED = "部分菜单功能未能加载，详细情况已记入日志。"
ERROR_TITLE = "出错了"
ERROR_TEXT = "程序遇到意外问题，刚才的操作没有完成，数据文件未受影响。\n详细情况已记入日志：{path}"
OPEN_ERROR = "无法打开“{name}”：文件可能正被其他程序占用，或存储设备有问题。详细情况已记入日志。"
REPLACE_OPEN_FILE = "“{name}”正在使用中，不能用新的空文件替换它。请换一个文件名。"
WRITE_FAILED = (
    "数据文件暂时无法写入（可能正被其他程序占用，或存储设备已拔出），这次修改没有保存。请稍后再试。"
)

# Import wizard: its ticks, and the summary sentences naming them (the command line names its flags)
IMPORT_TICK_CREATE_UNITS = "自动新增不在单位列表中的单位"
IMPORT_TICK_GOOD_ROWS_ONLY = "只导入无误的行"
IMPORT_TICK_ACCEPT_WARNINGS = "接受只有提醒的行"
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
