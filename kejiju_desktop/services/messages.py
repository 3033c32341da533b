"""Chinese sentences shared by every service that writes a file, in one place."""

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
