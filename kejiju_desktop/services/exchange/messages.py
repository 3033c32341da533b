"""Every Chinese sentence of Excel import and export, in one place."""

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
CELLS_CUT = (
    "有 {n} 个单元格超过 Excel 每格 {limit} 个字符的上限，表格中只保留了前 {limit} 个字符，"
    "数据文件中仍是全文：{cells}。"
)
CELL_REF = "第 {row} 行【{column}】"
AND_MORE = "等"
TEMPLATE_WRITTEN = "已生成{label}空白模板“{path}”（选择类列带下拉列表）。"
OUTPUT_EXISTS = "文件“{path}”已存在，未覆盖。如确需覆盖，请加 --force。"
CANNOT_WRITE = "无法写入“{path}”：{reason}"
DATA_READ_ONLY = "数据文件“{name}”是只读的，不能导入；可加 --dry-run 只做检查。"
DATA_WRITE_FAILED = "写入数据文件“{name}”时出错，未导入任何数据：{reason}"
TEMPLATE_SHEET_CHOICES = "选项"
VALIDATION_TITLE = "请从列表中选择"
VALIDATION_ERROR = "“{label}”只能从下拉列表中选择。"
