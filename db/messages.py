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
LOCKED = "数据文件“{name}”正由{holder}打开。两处同时修改可能互相覆盖，请确认对方已关闭后再编辑。"
LOCK_SHARED = "本窗口已把锁文件改记为本机，此后打开它的人会看到本机正在使用。"
LOCK_STALE = "数据文件“{name}”上次未正常关闭：{holder}打开它的程序已不在运行。"
LOCK_UNREADABLE = "数据文件“{name}”旁边的锁文件无法读取，不知道是谁打开了它。"
LOCK_TAKEN_OVER = "已接管它留下的锁文件。"
LOCK_HOLDER = "电脑“{host}”（用户 {user}，自 {since} 起）"
OVERWRITE_HELD = "数据文件“{name}”正由{holder}打开，不能覆盖，未改动；请先关闭打开它的程序。"
EXISTS = "文件“{path}”已存在，未覆盖。如确需覆盖，请加 --force。"
CANNOT_WRITE = "无法写入“{path}”：{reason}"
FOLDER = "“{path}”是一个文件夹，不是数据文件；请指明文件夹中的数据文件（如“科技局数据.kjdb”）。"

# Why reading or writing a file failed, by the operating system's error name (errno); never its English.
OS_REASONS = {
    "EISDIR": "这是一个文件夹，不是文件",
    "ENOTDIR": "路径中有一段不是文件夹",
    "ENOENT": "文件或所在的文件夹不存在",
    "EEXIST": "路径中应是文件夹的地方已有同名文件",  # mkdir over a file: our writes replace files themselves
    "EROFS": "所在的磁盘或U盘是只读的",
    "EACCES": "没有写入权限（文件或文件夹是只读的，或正被其他程序占用）",
    "EPERM": "没有写入权限（文件或文件夹是只读的，或正被其他程序占用）",
    "ENOSPC": "磁盘已满",
    "EDQUOT": "磁盘配额已用完",
    "EFBIG": "文件太大，所在的磁盘存不下（U盘的 FAT32 格式单个文件不能超过 4 GB）",
    "ENAMETOOLONG": "文件名或路径太长",
    "EINVAL": "文件名中有不允许的字符",
    "EBUSY": "文件正被其他程序占用",
    "ETXTBSY": "文件正被其他程序占用",
    "EIO": "读写磁盘时出错（磁盘或U盘可能有故障，或已被拔出）",
    "EXDEV": "不能跨磁盘移动文件",
}
# The same for SQLite's own result codes (its English, e.g. "unable to open database file", is never shown).
SQLITE_REASONS = {
    3: "没有写入权限",  # SQLITE_PERM
    5: "文件正被其他程序使用",  # SQLITE_BUSY
    6: "文件正被其他程序使用",  # SQLITE_LOCKED
    8: "文件或所在的位置是只读的",  # SQLITE_READONLY
    10: "读写磁盘时出错（磁盘或U盘可能有故障，或已被拔出）",  # SQLITE_IOERR
    13: "磁盘已满",  # SQLITE_FULL
    14: "无法打开或新建该文件（所在的文件夹不存在或不可写）",  # SQLITE_CANTOPEN
}
OTHER_REASON = "读写文件时出错（详细记录见日志）"
INCOMPLETE = (
    "数据文件“{name}”的内部结构不完整（{problem}），可能被其他程序改动过，无法使用，未作任何改动。"
    "请通过“文件 → 恢复备份”恢复最近的备份。"
)
SHAPE_NO_VERSION = "没有记录版本号"
SHAPE_NO_TABLE = "缺少表“{table}”"
SHAPE_NO_COLUMN = "表“{table}”缺少列“{column}”"
FOREIGN_JOURNAL = (
    "数据文件“{name}”旁边有一个不属于它的未完成写入记录文件“{journal}”（可能是从别处一同拷来的），"
    "未使用它，数据文件和该记录文件都未改动。请把“{journal}”移到别处后再打开；"
    "如仍打不开，请通过“文件 → 恢复备份”恢复最近的备份。"
)
JOURNAL_CUT_SHORT = (
    "数据文件“{name}”旁边的未完成写入记录文件“{journal}”不完整（可能是拷贝时中断了），无法用它撤销上次未完成的写入，"
    "数据文件和该记录文件都未改动。如有完整的“{journal}”，请把它放回原处后再打开；"
    "否则请通过“文件 → 恢复备份”恢复最近的备份。"
)
JOURNAL_IS_FOLDER = (
    "数据文件“{name}”旁边有一个名为“{journal}”的文件夹，占用了程序写入时要用的名字，未打开，数据文件未改动。"
    "请把该文件夹移走或改名后再打开。"
)
JOURNAL_UNCHECKED = (
    "数据文件“{name}”上次未正常关闭，需先在临时文件夹里核对它留下的“{journal}”，但临时文件夹无法写入，"
    "数据文件和该记录文件都未改动。请腾出磁盘空间后再打开。"
)
JOURNAL_COPY = (
    "数据文件“{name}”上次未正常关闭，留下了未完成的写入；文件所在位置不可写，无法就地撤销："
    "本次读取的是撤销后的临时副本，原文件未改动。"
)
BUSY = "数据文件正被另一个程序写入，请稍后再试。"

# A PostgreSQL server given as --db postgresql://… (db/server.py).
SERVER_PASSWORD_IN_URL = (
    "服务器地址里不能写密码（它会留在命令记录和最近打开列表里）。请只写“postgresql://账号@服务器:端口/数据库名”，"
    "密码另行输入。"
)
SERVER_URL_BAD = "“{url}”不是可用的服务器地址，应写成“postgresql://账号@服务器:端口/数据库名”。"
SERVER_NO_AMCHECK = (
    "服务器未安装 amcheck 扩展，本次检查未核对索引结构（可由管理员执行 CREATE EXTENSION amcheck 后再检查）。"
)
SERVER_BAD_LOCALE = (
    "服务器数据库“{name}”的编码或排序规则（{encoding}，{ctype}）不适用：中文检索需要 UTF8 编码和 C.UTF-8 等"
    "支持中文的区域设置。请由管理员用 ENCODING 'UTF8' LOCALE 'C.UTF-8' 重新创建该数据库后再初始化。"
)
SERVER_INIT_NOT_ALLOWED = "当前账号无权新建角色：初始化服务器数据库须由数据库超级用户（如 postgres）执行。"
SERVER_UNREACHABLE = "无法连接服务器数据库“{name}”（服务器未开启、地址或端口有误、账号或密码不对，或该数据库不存在），未作任何改动。"
ACCOUNT_EXISTS = "服务器上已有名为“{name}”的账号（账号对整个服务器有效），请换一个名字。"
ACCOUNT_NOT_ALLOWED = "当前账号不是“管理员”，不能管理账号。"
ACCOUNT_UNKNOWN = "“{name}”不是本数据库的账号，未作改动。"
ACCOUNT_RESERVED = "账号名“{name}”留给 PostgreSQL 自己使用（以 pg_ 开头的名字和 public 都是），请换一个名字。"
SERVER_BUSY = "服务器数据库“{name}”正被另一位同事写入（如导入或合并），请稍后再试；本次未写入任何内容。"
SERVER_VALUES_TOO_LONG = (
    "有 {n} 个值超出服务器数据库“{name}”该栏允许的长度（数据文件从不限制长度），未写入任何内容。"
    "请先在数据文件里改短下列各值，再迁入服务器："
)
SERVER_NOT_EMPTY = "服务器数据库“{name}”里已有数据，不能整体迁入；请改用合并。"
# What the server's own triggers refuse (db/server_triggers.py), whatever program or psql wrote it.
SERVER_PURGE_NOT_ALLOWED = "当前账号不是“管理员”，不能永久删除记录（清空记录内容）；本次未作改动。"
SERVER_OFFICE_ID_FIXED = (
    "本单位的编号（office_id）只有“管理员”能修改，它决定合并时哪些修改已经合并过；本次未作改动。"
)
SERVER_IDENTITY_FIXED = "记录的编号（uid）和创建时间不能修改；本次未作改动。"
SERVER_MARKS_ADMIN_ONLY = (
    "合并标记记下了其他科室的文件已合并到哪里，只有“管理员”能写入：合并其他科室的文件请由管理员账号进行；"
    "本次未作改动。"
)
SERVER_SEARCH_FORGED = (
    "搜索索引只能由本程序按记录的内容写入：所给的词与待更新的记录或其文字不符，服务器未接受；本次未作改动。"
)
# A record's recycle-bin state as its history lines say it (written by a server's triggers too).
STATE_LIVE, STATE_DELETED, STATE_PURGED = "未删除", "已删除", "已永久删除"
# What a server answers when it is reached but cannot be used as given (db/server.reachable).
SERVER_WRONG_PASSWORD = "服务器拒绝了账号“{account}”的登录：账号或密码不对，未作任何改动。请核对后重新输入。"
SERVER_ACCOUNT_DISABLED = (
    "账号“{account}”已被停用，不能登录服务器数据库“{name}”；如需继续使用，请联系管理员。"
)
SERVER_NO_DATABASE = "服务器“{host}”上没有名为“{database}”的数据库，请核对数据库名，未作任何改动。"
SERVER_NOT_OURS = (
    "服务器数据库“{name}”不是本程序的数据库（其中没有本程序的表），未作任何改动。"
    "如是新建的空数据库，请由管理员运行 server init 初始化。"
)
SERVER_OLDER = (
    "服务器数据库版本较旧，请管理员升级：“{name}”由较早版本的本程序建立，当前版本不能使用它，未作任何改动。"
)
SERVER_LOCKS_NEED_SUPERUSER = (
    "已升级服务器数据库“{name}”，但当前账号不是数据库超级用户，有一项未能完成：禁止“查看”账号占用写锁"
    "（占用时其他同事暂时无法保存）。请由数据库超级用户（如 postgres）再运行一次 server init 补上。"
)
SERVER_NEWER = "服务器数据库“{name}”由更新版本的本程序建立，当前版本无法打开，请升级本程序后再打开。"
SERVER_VIEWER = "当前账号为“查看”，不能修改记录。"
SERVER_NO_GROUP = (
    "账号“{account}”不属于服务器数据库“{name}”的任何用户组，不能读取记录；请管理员为它指定用户组。"
)
SERVER_RIGHTS_MISSING = "服务器拒绝了这次修改：当前账号“{account}”没有这项权限，未写入任何内容。"
SERVER_REPAIR_NOT_ALLOWED = (
    "修复服务器数据库须由“管理员”进行，当前账号“{account}”不能修复，未改动；不加 --repair 可以只做检查。"
    "（如是管理员仍不能修复，请由数据库超级用户用本版本程序再运行一次 server init。）"
)
SERVER_CONNECTION_LOST = (
    "与服务器数据库“{name}”的连接中断了，刚才的操作没有完成，服务器上未写入任何内容。请等服务器恢复后再试。"
)
ACCOUNT_ROLE_NAME = (
    "账号名“{name}”以“_所有者”“_管理员”“_录入员”或“_查看”结尾，这类名字留给各数据库自己的角色，请换一个名字。"
)
SERVER_ROLE_TAKEN = (
    "服务器上已有角色“{role}”，但它能登录或属于别的角色，不是本程序为这个数据库建的；"
    "请数据库超级用户查明后删除或改名，再运行 server init。"
)
ACCOUNT_SELF_DISABLE = (
    "不能停用当前登录的账号“{name}”（停用后将无法再登录管理账号）；如确需停用，请用另一个管理员账号操作。"
)
ACCOUNT_SELF_DEMOTE = "不能把当前登录的账号“{name}”移出“管理员”（移出后将不能再管理账号）；如确需更改，请用另一个管理员账号操作。"
ACCOUNT_TOO_LONG = "账号名“{name}”太长：PostgreSQL 的名字最多 63 个字节（约 21 个汉字），请换一个短些的名字。"
SERVER_NAME_TOO_LONG = (
    "数据库名“{database}”太长：加上“_管理员”等后缀的角色名会超过 PostgreSQL 的 63 个字节，"
    "请换一个短些的数据库名后再初始化。"
)
