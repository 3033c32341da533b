"""Chinese sentences for what can be wrong with a data file, in one place."""

MISSING = "找不到数据文件“{path}”，请确认文件位置。"
EMPTY = "“{name}”是一个空文件（0 字节），不是本程序的数据文件。"
NOT_SQLITE = "“{name}”不是本程序的数据文件（它不是数据库文件，可能是图片、文档或其他文件）。"
FOREIGN = "“{name}”是其他程序的数据库文件，不是本程序的数据文件，未作任何改动。"
DAMAGED = (
    "数据文件“{name}”已损坏（可能拷贝不完整或存储介质出错），无法打开。"
    "请通过“文件 → 恢复备份”恢复最近的备份。"
)
NEWER = "数据文件“{name}”由更新版本的本程序创建，当前版本无法打开，请升级本程序后再打开。"
OLD_COPY = (
    "数据文件“{name}”由旧版本程序创建，且以只读方式打开：读取的是它升级后的临时副本，原文件未改动。"
    "如需修改，请复制到本机可写的位置后再打开。"
)
READ_ONLY = "数据文件“{name}”是只读的（文件或所在位置不可写），已以只读方式打开，修改不能保存。"
LOCKED = "数据文件“{name}”正在被{holder}打开。两处同时修改可能互相覆盖，请确认对方已关闭后再编辑。"
LOCK_HOLDER = "电脑“{host}”（用户 {user}，自 {since} 起）"
EXISTS = "文件“{path}”已存在，未覆盖。如确需覆盖，请加 --force。"
CANNOT_WRITE = "无法写入“{path}”：{reason}"
BUSY = "数据文件正被另一个程序写入，请稍后再试。"
