"""Wording of the 文件 menu entries for copies, backups, checks and merges, in one place."""

ACT_COPY = "另存副本…"
ACT_RESTORE = "恢复备份…"
ACT_CHECK = "检查数据文件…"
ACT_MERGE = "合并其他数据文件…"
FILE_FILTER = "数据文件 (*.kjdb);;所有文件 (*)"
REPORT_FILTER = "文本文件 (*.txt)"
NO_FILE = "请先打开数据文件。"
READ_ONLY = "数据文件以只读方式打开，不能合并或修复。"

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
RESTORE_BUTTON = "恢复所选备份"
RESTORE_OTHER = "其他数据文件的备份…"
RESTORE_CANCEL = "取消"
RESTORE_CONFIRM = "用 {time} 的备份替换当前数据文件“{name}”吗？\n当前文件会先另行备份。"
RESTORE_FAILED = "未恢复：{reason}"

CHECK_TITLE = "检查数据文件"
CHECK_TASK = "正在检查数据文件…"
CHECK_REPAIR = "修复"
CHECK_SAVE = "保存报告…"
CHECK_CLOSE = "关闭"
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
MERGE_CANCEL = "取消"
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
MERGE_NOTHING = "两个文件的记录已一致，无需合并。"
MERGE_REFUSED = "未合并：{reason}"
MERGE_DONE = "合并完成：写入 {n} 条记录。合并前的文件已自动备份，可通过“文件 → 恢复备份”退回。"
MERGE_REPORT_NAME = "合并报告-{date}.txt"

LOCAL_TITLE = "数据文件在U盘或网络位置上"
LOCAL_TEXT = (
    "数据文件“{name}”在U盘、移动硬盘或网络共享文件夹上。在这种位置直接编辑，拔出U盘或网络中断时文件可能损坏。\n\n"
    "建议复制到本机打开（原文件不变），用完后再用“另存副本”拷回。"
)
LOCAL_COPY = "复制到本机打开"
LOCAL_KEEP = "仍在原位置打开"
LOCAL_FAILED = "未能复制到本机：{reason}"
LOCAL_FOLDER = "本机副本"
