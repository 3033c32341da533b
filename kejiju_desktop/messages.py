"""Every Chinese sentence of the core: files written, Excel in and out, copies and merges, the report."""

import db.messages

# === Chinese sentences shared by every service that writes a file
OUTPUT_IS_FOLDER = "“{path}”是一个文件夹，未写入；请给出文件名。"
OUTPUT_IS_DATA_FILE = (
    "“{path}”就是正在使用的数据文件“{name}”，不能把输出写在它上面（会毁掉数据），未写入；请换一个文件名。"
)
OUTPUT_IS_COMPANION = (
    "“{path}”是数据文件“{name}”旁边的日志或锁文件，写在这里会损坏该数据文件，未写入；请换一个文件名。"
)
NO_FILE_TO_BACK_UP = (
    "“{name}”是服务器上的数据库，不是本机的数据文件，不能在这里自动备份；请由管理员备份服务器。"
)
SETTING_UNKNOWN = "没有名为“{name}”的设置；可以设置的有：{names}。"
SETTING_CHOICE_RULE = "{name}只能是：{choices}。"
SETTING_NUMBER_RULE = "{name}应为{low}—{high}之间的整数。"
SETTING_TEXT_RULE = "{name}最多{n}个字，不能含换行等控制字符。"
SETTING_REQUIRED_RULE = "{name}不能为空，最多{n}个字，不能含换行等控制字符。"
SETTINGS_READ_ONLY = "数据文件“{name}”是只读的，设置未保存。"

# === Excel import and export
# --- files that cannot be used ---------------------------------------------------------------
FILE_MISSING = "找不到文件“{name}”。"
FILE_IS_FOLDER = "“{name}”是一个文件夹，不是表格文件；请选择文件夹中的 Excel 文件。"
FILE_EMPTY = "文件“{name}”是空的（0 字节），不是 Excel 表格。"
FILE_ENCRYPTED = (
    "文件“{name}”设置了打开密码，无法读取。请在 Excel 中取消密码（文件→信息→保护工作簿）后再导入。"
)
FILE_NOT_SPREADSHEET = (
    "文件“{name}”不是 Excel 表格，无法导入；可导入的文件：.xlsx、.xlsm、.xls、.xlsb、.ods、.csv、.txt。"
)
FILE_POSING = (
    "文件“{name}”其实是{kind}，不是 Excel 表格，无法导入。请用 Excel 或 WPS 打开它，“另存为”.xlsx 后再导入。"
)
KIND_HTML = "网页（HTML）"
KIND_XML = "XML 文本"
KIND_TEXT = "纯文本"
CSV_ENCODING_UNKNOWN = (
    "无法确定文件“{name}”的文字编码：它既不是 UTF-8，也不是 GB18030（GBK）编码。"
    "请在 Excel 或 WPS 中“另存为”CSV UTF-8 或 .xlsx 后再导入。"
)
FILE_DAMAGED = "文件“{name}”已损坏或不是有效的 Excel 表格，无法读取。"
FILE_TOO_LARGE = (
    "文件“{name}”解压后有 {mb} MB，超过导入上限 {limit} MB，未读取。请把数据分成几个较小的表格再导入。"
)
FILE_BOMB = "文件“{name}”中的“{part}”解压后是压缩时的 {ratio} 倍，不像正常的 Excel 表格（可能是恶意构造的文件），未读取。"
NO_WORKSHEET = "文件“{name}”中没有可读取的工作表。"
SHEET_MISSING = "文件中没有名为“{sheet}”的工作表；现有工作表：{sheets}。"
SHEET_EMPTY = "工作表“{sheet}”是空的，没有可导入的数据。"
NO_HEADER = "工作表“{sheet}”的前 {n} 行中找不到表头（如“{example}”），请把列名放在第一行。"
MERGED_HEADER = "表头（第 {row} 行）有合并单元格 {ref}，请取消合并、每列一个列名后再导入。"
MISSING_COLUMNS = "工作表缺少必填列：{labels}。"
DUPLICATE_COLUMN = "表头中“{label}”出现了不止一次（第 {first} 列和第 {second} 列），请只保留一列。"

# --- rows --------------------------------------------------------------------------------------
UNKNOWN_UNIT = "{label}“{value}”不在单位列表中。"
UNKNOWN_UNIT_CODE = "统一社会信用代码“{code}”不在单位列表中，请核对或先新增该单位。"
FORMULA_NO_VALUE = "{label}是公式，但文件中没有保存计算结果；请在 Excel 中打开并保存后再导入。"
DUPLICATE_IN_SHEET = "与第 {row} 行重复（{labels}相同）。"
NEW_CHOICE_TOO_LONG = (
    "{label}列中有一个不在列表中的值“{value}”长达 {n} 个字（新增{label}最长 {limit} 个字），"
    "不像{label}名称，可能是列错位了。请核对表头和各列后再导入；未写入任何数据。"
)
TOO_MANY_NEW_CHOICES = (
    "{label}列中不在列表中的值超过 {limit} 个（如“{examples}”），不像新增的{label}，可能是列错位了。"
    "请核对表头和各列后再导入；未写入任何数据。"
)
ROW_LINE = "第 {row} 行【{column}】{message}"
ROW_LINE_NO_COLUMN = "第 {row} 行：{message}"
WARNING_TAG = "（提醒）"
WHOLE_ROW = "整行"

# --- summaries ---------------------------------------------------------------------------------
SUMMARY = (
    "共读取 {read} 行：新增 {imported} 条，更新 {updated} 条，跳过重复 {skipped} 条，"
    "新增单位 {units} 个；有错误 {errors} 行，有提醒 {warnings} 行。"
)
# The same counts when nothing is written (a dry run or a refused import): what the import would do.
SUMMARY_NOT_WRITTEN = (
    "共读取 {read} 行：可新增 {imported} 条，可更新 {updated} 条，跳过重复 {skipped} 条，"
    "需新增单位 {units} 个；有错误 {errors} 行，有提醒 {warnings} 行。"
)
FORMULAS_NOT_CHECKED = (
    "{kind} 文件无法检查公式是否保存了计算结果：公式单元格按文件中保存的结果导入，没有结果的读作空白。"
)
NEW_CHOICES = "新增{label}：{values}（共 {n} 项）。"
NEW_CHOICES_NOT_WRITTEN = "需新增{label}：{values}（共 {n} 项），未添加。"
UNKNOWN_COLUMNS = "以下列未识别，已忽略：{columns}。"
MATCHED_COLUMNS = "已识别的列：{columns}。"
DRY_RUN = "只做了检查（试运行），未写入任何数据。"
DRY_RUN_REFUSED = "按现在的选项正式导入时，因有 {n} 行有问题，将全部不导入。"
# What the import's two options are, in the words of both front ends (a tick, a flag's help).
OPTION_GOOD_ROWS_ONLY = "只导入无误的行"
OPTION_ACCEPT_WARNINGS = "接受只有提醒的行"
# The command line names its own options (the wizard its ticks: ui/messages.py).
CLI_REFUSED_ERRORS = (
    "未写入任何数据：有 {n} 行有错误。请改正后重新导入，或加 --good-rows-only 只导入无误的行。"
)
CLI_REFUSED_WARNINGS = "有 {n} 行只有提醒；核对无误后可加 --accept-warnings 接受提醒并记为已确认。"
CLI_UNKNOWN_UNITS = (
    "有 {n} 行的单位不在单位列表中：可加 --create-units 自动新增单位，或先新增这些单位再导入。"
)
DONE = "导入完成，已写入数据文件。"
DONE_PARTIAL = "已导入无误的行；有问题的 {n} 行未导入。"
NOTHING_TO_DO = "没有需要写入的记录。"
MORE_LINES = "……另有 {n} 条问题未列出。"

# --- export --------------------------------------------------------------------------------------
EXPORTED = "已导出 {n} 条{label}记录到“{path}”。"
EXPORT_NOT_XLSX = "导出写的是 Excel 工作簿，文件名须以 .xlsx 结尾（“{name}”不是）；未写入任何文件。"
CELLS_CUT = (
    "有 {n} 个单元格超过 Excel 每格 {limit} 个字符的上限，表格中只保留了前 {limit} 个字符，"
    "数据文件中仍是全文：{cells}。"
)
CELL_REF = "第 {row} 行【{column}】"
AND_MORE = "等"
TEMPLATE_WRITTEN = "已生成{label}空白模板“{path}”（选择类列带下拉列表）。"
OUTPUT_EXISTS = db.messages.EXISTS
CANNOT_WRITE = db.messages.CANNOT_WRITE
DATA_READ_ONLY = "数据文件“{name}”是只读的，不能导入；可加 --dry-run 只做检查。"
DATA_WRITE_FAILED = "写入数据文件“{name}”时出错，未导入任何数据：{reason}"
TEMPLATE_SHEET_CHOICES = "选项"
VALIDATION_TITLE = "请从列表中选择"
VALIDATION_ERROR = "“{label}”只能从下拉列表中选择。"

# === Copies, backups, merges and repairs
# --- copy and backups
COPY_DONE = "已另存副本：{path}（{size}）"
BACKUP_REFUSED_DAMAGED = "数据文件“{name}”未通过快速检查，未做备份（以免用损坏的文件替换好的备份）。"
BACKUP_DONE = "已备份到：{path}"
BACKUP_REASONS = {
    "open": "打开时",
    "close": "关闭时",
    "interval": "编辑中定时",
    "upgrade": "升级前",
    "merge": "合并前",
    "repair": "修复前",
    "restore": "恢复备份前",
    "manual": "手动",
}
RESTORE_BAD_BACKUP = "备份“{name}”无法解压或已损坏，未恢复（当前数据文件未改动）。"
RESTORE_DONE = "已从 {time} 的备份恢复数据文件；恢复前的文件已另行备份。"
DAMAGED_SET_ASIDE = "当前文件已损坏，无法备份，已原样另存为“{name}”。"
NO_BACKUPS = "还没有这个数据文件的备份。"

# --- merge
KIND_NEW, KIND_UPDATED, KIND_DELETED, KIND_CONFLICT, KIND_DUPLICATE, KIND_REFUSED = (
    "new", "updated", "deleted", "conflict", "duplicate", "refused",
)  # fmt: skip
KIND_LABELS = {
    KIND_NEW: "新增",
    KIND_UPDATED: "更新",
    KIND_DELETED: "删除",
    KIND_CONFLICT: "冲突",
    KIND_DUPLICATE: "疑似重复",
    KIND_REFUSED: "拒收",
}
MERGE_SELF = "不能把数据文件合并到它自己。"
MERGE_SAME_OFFICE = "（与本文件属同一科室，可能是本文件的副本）"
MERGE_HEAD = "合并“{other}”（{office}）到“{ours}”："
MERGE_COUNTS = (
    "新增 {new} 条，更新 {updated} 条，删除 {deleted} 条，冲突 {conflict} 条，疑似重复 {duplicate} 条，"
    "拒收 {refused} 条；另有 {same} 条相同。"
)
MERGE_CHOICES = "  可选的{label}将增加：{values}"
MERGE_NOTHING = "两边的记录已一致，无需合并。"  # two files, or a file and the server
MERGE_DRY_RUN = "（预览，未写入任何内容）"
MERGE_READ_ONLY = (
    "数据文件“{name}”是只读的（文件或所在位置不可写），不能合并，未写入任何内容；可加 --dry-run 只预览。"
)
MERGE_STORE_DAMAGED = "“{name}”的结构检查发现损坏，未合并；请先由管理员检查修复。"
MERGE_FAILED = "合并未完成（{reason}），本方文件未写入任何合并内容。"
MERGE_DONE = "合并完成：写入 {n} 条记录。合并前的文件已自动备份为“{backup}”。"
MERGE_REPLANNED = "预览之后本方文件已被其他程序修改，已按修改后的内容重新比对后合并（与预览可能不同）。"
MERGE_LINE = "  [{kind}] {entity}：{name}{detail}"
DETAIL_FIELDS = "（{fields}）"
MERGE_CONFLICT_LINE = "  [{kind}] {entity}：{name}——{detail}"
# Why a record is a conflict: what the merge marks of the two files can tell about who changed it.
BASIS_NO_MARK, BASIS_BOTH_CHANGED, BASIS_UNPROVEN = "no-mark", "both-changed", "unproven"
CONFLICT_REASONS = {
    BASIS_NO_MARK: "两边不同（两个文件尚无合并记录，无法判断哪边改过）",
    BASIS_BOTH_CHANGED: "两边都改过",
    BASIS_UNPROVEN: "两边不同（从合并记录看不出哪边改过）",
}
DETAIL_CONFLICT = "{reason}：{fields}；{outcome}{newer}"
OUTCOME_THEIRS = "采用对方的内容"
OUTCOME_OURS = "保留本方的内容"
NEWER_THEIRS = "（对方的较新）"
NEWER_OURS = "（本方的较新）"
VALUE_LINE = "      {label}：本方为{ours}，对方为{theirs}。"
VALUE_QUOTED = "“{value}”"
VALUE_EMPTY = "空"
FIELD_DELETED = "删除状态"
STATE_LIVE, STATE_DELETED, STATE_PURGED = (
    db.messages.STATE_LIVE,
    db.messages.STATE_DELETED,
    db.messages.STATE_PURGED,
)
DETAIL_DUPLICATE = "（与本方“{name}”的{labels}相同，未新增；其下属记录已改挂到本方记录）"
NAME_OF_YEAR = "{year}年{name}"  # a record unique only with its year, as the merge preview names it
DETAIL_RESTORED = "（对方恢复并修改了本方已删除的记录）"
DETAIL_PURGED = "（对方已永久删除）"
DETAIL_STALE = "（预览后本方记录又被修改，本条未合并）"
DETAIL_NO_UNIT = "（所属单位未合并，单位留空）"
DETAIL_UNIT_MISSING = "（对方文件中找不到它的所属单位，单位留空，请合并后补填）"
DETAIL_UNIT_MISSING_KEPT = "（对方文件中找不到它的所属单位，保留本方原来的单位）"
DETAIL_REFUSED = "（{reasons}）"
REASON_UNIT_REFUSED = "所属单位“{name}”被拒收，本条一并拒收。"
REASON_NOT_TEXT = "{label}存的不是文字（是二进制数据），不是本程序写下的记录。"
REASON_BAD_AUDIT = "记录的标识、修改人或已确认的提示过长，不是本程序写下的记录。"
MERGE_REFUSED_HEAD = "以下 {n} 条未通过校验，不合并（其余记录照常合并；请对方科室改正后再合并）："
MERGE_REFUSED_DONE = "有 {n} 条记录未通过校验，未合并（见上方“拒收”各行）。"
REPORT_TITLE = "数据合并报告"
REPORT_TIME = "合并时间：{time}"
REPORT_EXCLUDED = "  已排除 {n} 条（未合并）。"
REFUSED_INCOMING = "未合并：{reason}"
MERGE_NEEDS_ADMIN = "合并其他科室的数据文件须由“管理员”账号进行（合并会记下对方文件已合并到哪里，也可能永久删除记录）；当前账号不能合并，未写入任何内容。"
UNREADABLE_INCOMING = "“{name}”中的数据格式不对，无法读取，未合并（本方文件未改动）。"

# --- check and repair
REPAIR_EXPIRED = "已将 {n} 条过了有效期的资质认定状态改为“已过期”。"
REPAIR_REINDEX = "已重建索引。"
REPAIR_SEARCH_INDEX = "已重建{entities}的检索索引。"
REPAIR_VACUUM = "已整理文件（压缩空闲空间）。"
REPAIR_VACUUM_SERVER = "已整理服务器数据库“{name}”（回收已删除记录占用的空间，更新统计信息）。"
REPAIR_VACUUM_SKIPPED = (
    "服务器数据库“{name}”的空间未整理：只有数据库的所有者能整理，服务器平时也会自动整理（autovacuum）。"
)
REPAIR_MANUAL = "以下问题不能自动修复，请人工核对：{n} 条。"
REPAIR_READ_ONLY = (
    "数据文件“{name}”是只读的（文件或所在位置不可写），不能修复，未改动；不加 --repair 可以只做检查。"
)
REPAIR_BACKUP = "修复前已自动备份。"

# === The report: export outcomes and refusals
NEW_SECTION_HEADING = "新增部分"  # a section the clerk adds, until it is named
REPORT_CANNOT_WRITE = "无法写入“{path}”：{reason}。如该文件正在 Word 或 WPS 中打开，请先关闭后再导出。"
NO_FOLDER = "保存位置“{folder}”不存在。"
BAD_YEAR = "年度 {year} 不在 1980—2100 之间。"
WRITTEN = "已导出 {year} 年度工作报告：{path}（{sections} 个部分，{charts} 幅图，{tables} 张表）"
EMPTY_YEAR = (
    "注意：数据文件中没有 {year} 年的记录（专利、资质认定、项目、奖励、活动都没有），报告里没有这一年的数字；"
    "请确认年度是否正确。"
)
NO_POPULATION = (
    "注意：{year}年没有录入“{population}”，报告里没有写{indicator}；"
    "请在“年度目标”中为{year}年添加指标“{population}”并填写实际值。"
)
ZERO_POPULATION = (
    "注意：{year}年的“{population}”录入为0，无法计算{indicator}，报告里没有写这一项；"
    "请在“年度目标”中改正{year}年“{population}”的实际值。"
)
LIVE_FIELD_UNKNOWN = (
    "“{section}”中的{field}不是 {year} 年的指标（名称有误，或这一年还没有该指标），文中原样保留。"
)
LIVE_FIELD_MISSING = "“{section}”中的{field}缺少{missing}，文中原样保留。"
LIVE_FIELD_UNCLOSED = "“{section}”中“{field}”的“【”没有配对的“】”，不会填入数字，文中原样保留。"

# === Checking a data file
CHECK_INTEGRITY = "文件内部结构有错误：{detail}"
CHECK_SEARCH_INDEX = "{entity}的检索索引{what}，搜索可能找不到部分记录。"
CHECK_INDEX_NO_TRIGGERS = "缺少记录变动的触发器（此后新增或修改的记录不会进入索引）"
CHECK_INDEX_NO_QUEUE = "缺少待更新队列"
CHECK_INDEX_OUT_OF_STEP = "与记录不一致"
CHECK_FOREIGN_KEY = "“{table}”表中有 {n} 条记录引用了不存在的记录。"
CHECK_DUPLICATE = "{entity}中{labels}“{value}”重复 {n} 次（应唯一）。"
CHECK_ROW = "{entity}第 {id} 号记录“{name}”：{message}"
CHECK_EXPIRED = "{unit}的“{category}”已于{until}到期，状态仍为“已认定”。"
CHECK_LAPSED_UNDATED = (
    "专利“{title}”{number}的法律状态为“已失效”，但没有填写失效日，各年的有效专利统计都按已失效处理；"
    "请补填失效日。"
)
CHECK_LAPSED_NUMBER = "（申请号 {app_no}）"
CHECK_OK = "数据文件完好，未发现问题。"
CHECK_OK_SERVER = "服务器数据库“{name}”完好，未发现问题。"
CHECK_INTEGRITY_SERVER = "服务器数据库“{name}”的内部结构（索引）有错误：{detail}"
CHECK_HEAD = "检查“{name}”："
CHECK_PROBLEM_LINE = "  问题：{message}"
CHECK_NOTICE_LINE = "  提示：{message}"
CHECK_PROBLEMS = "发现 {n} 个问题，{m} 条提示。"
CHECK_NOTICES = "未发现问题；有 {m} 条提示。"
CHECK_CAN_REPAIR = "其中 {n} 项可以自动修复（修复不会删除任何记录）。"
CHECK_UNKNOWN_UNIT = "（未知单位）"

# === Saving records
DUPLICATE_VALUE = "{label}“{value}”已存在（{other}），不能重复。"
DUPLICATE_KEY = "{labels}为“{value}”的记录已存在，不能重复。"
RECORD_NOT_FOUND = "记录已不存在（可能已被删除）。"
# Two clerks, one record: the stored version moved on since it was read (optimistic concurrency).
RECORD_CHANGED = "该记录在读取之后已被{operator}于 {time} 修改，本次未写入。"
RECORD_CHANGED_UNREAD = "该记录在读取之后已被另一位操作员修改，本次未写入。"
RECORD_DELETED_BY = "该记录已被{operator}于 {time} 删除。"
ANOTHER_OPERATOR = "另一位操作员"  # who changed a record when the file does not say
MERGE_RACED = "合并写入时本文件的记录刚被另一程序修改，合并已取消，未写入任何内容，请重新合并：{reason}"

# === A record's 历史记录 (services/history.py): what each change-log action is called, 恢复此值's refusals
HISTORY_ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除到回收站",
    "restore": "从回收站恢复",
    "purge": "永久删除",
    "merge-new": "合并：新增",
    "merge-update": "合并：更新",
    "merge-delete": "合并：删除",
}
HISTORY_UNIT_GONE = "{label}“{name}”已不是现有的单位（可能已删除或改名），不能恢复此值。"
HISTORY_SAME_VALUE = "{label}现在已经是“{value}”，不用恢复。"
HISTORY_FIELD_GONE = "“{key}”这一项已不再使用，不能恢复此值。"

# === The settings a clerk may change (services/settings.py's registry), and their defaults
SETTING_OPERATOR = "操作员"
SETTING_BUREAU = "单位名称"
SETTING_COUNTY = "县名"
SETTING_DIVISION = "行政区划"
SETTING_FONTS = "字体方案"
SETTING_REMINDER_DAYS = "证书到期提醒天数"
FONT_STANDARD_LABEL = "公文标准字体"
FONT_WINDOWS_LABEL = "Windows 系统自带字体"
BUREAU_TEMPLATE = "××{division}科学技术局"  # the report's bureau while 单位名称 is not set
DEFAULT_OPERATOR = SETTING_OPERATOR  # updated_by while the clerk has not given a name

# === Times and the names of files the program writes
TIME_FORMAT = "%Y-%m-%d %H:%M"  # a time as a clerk reads it: 2013-01-05 09:30
DATE_TEXT = "{year}年{month}月{day}日"  # a date as official documents write it: 2013年1月5日
DAMAGED_COPY_NAME = "{stem}.损坏-{stamp}{suffix}"

# === Words the window and the command line share
WORD_FILE = "文件"
ACTION_CHECK = "检查数据文件"
ACTION_IMPORT = "从 Excel 导入"

# === A tab's current list printed (services/current_list.py): its title and its filter in words
LIST_TITLE = "{label}列表"
LIST_YEAR = "{year}年"
LIST_FIELD_IS = "{label}：{value}"
LIST_SEARCH = "搜索“{words}”"
LIST_RECYCLE_BIN = "回收站"
LIST_EVERYTHING = "全部记录"
LIST_SUMMARY = "共 {n} 条　打印于{date}"

# === 工作台 (services/workbench.py): what needs the clerk today; the window and `remind` show the same words
WORKBENCH_CERTIFICATES = "证书到期"
WORKBENCH_PROJECTS = "项目节点"
WORKBENCH_QUALITY = "数据质量"
WORKBENCH_TARGETS = "年度目标"
WORKBENCH_EXPIRING = "证书{days}天内到期"
WORKBENCH_EXPIRED = "证书已过有效期仍为“已认定”"
WORKBENCH_OVERDUE = "已过结束日期尚未验收的项目"
WORKBENCH_MIDTERM_DUE = "到期应做中期检查的项目"
WORKBENCH_STILL_APPLYING = "往年申报仍为“申报中”的项目"
WORKBENCH_CONFIRMED = "保存时确认过提醒的{entity}记录"
WORKBENCH_DUPLICATES = "疑似重复的{entity}记录"
WORKBENCH_UNUSED_UNITS = "没有任何记录引用的单位"
WORKBENCH_SAME_DATE = "去年同期"
WORKBENCH_FULL_YEAR = "上年全年"
WORKBENCH_MONTHS = "专利申请量（按月）"
WORKBENCH_HELD = "{holder}：{name}"  # a certificate named with its unit

# === Moving a bureau's file into an empty server (services/portability)
MOVE_TOO_LONG_LINE = "  {kind} {uid}：“{label}”有 {length} 个字，服务器最多 {limit} 个字"
