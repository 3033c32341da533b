"""Chinese wording of copies, backups, merges and repairs, in one place."""

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
MERGE_NOTHING = "两个文件的记录已一致，无需合并。"
MERGE_DRY_RUN = "（预览，未写入任何内容）"
MERGE_READ_ONLY = (
    "数据文件“{name}”是只读的（文件或所在位置不可写），不能合并，未写入任何内容；可加 --dry-run 只预览。"
)
MERGE_FAILED = "合并未完成（{reason}），本方文件未写入任何合并内容。"
MERGE_DONE = "合并完成：写入 {n} 条记录。合并前的文件已自动备份。"
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
STATE_LIVE, STATE_DELETED, STATE_PURGED = "未删除", "已删除", "已永久删除"
DETAIL_DUPLICATE = "（与本方“{name}”的{labels}相同，未新增；其下属记录已改挂到本方记录）"
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
UNREADABLE_INCOMING = "“{name}”中的数据格式不对，无法读取，未合并（本方文件未改动）。"

# --- check and repair
REPAIR_EXPIRED = "已将 {n} 条过了有效期的资质认定状态改为“已过期”。"
REPAIR_REINDEX = "已重建索引。"
REPAIR_SEARCH_INDEX = "已重建{entities}的检索索引。"
REPAIR_VACUUM = "已整理文件（压缩空闲空间）。"
REPAIR_MANUAL = "以下问题不能自动修复，请人工核对：{n} 条。"
REPAIR_READ_ONLY = (
    "数据文件“{name}”是只读的（文件或所在位置不可写），不能修复，未改动；不加 --repair 可以只做检查。"
)
REPAIR_BACKUP = "修复前已自动备份。"
