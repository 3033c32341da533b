"""Chinese messages of the report: export outcomes and refusals, in one place."""

EXISTS = "文件“{path}”已存在，未覆盖。如确需覆盖，请加 --force。"
CANNOT_WRITE = "无法写入“{path}”：{reason}。如该文件正在 Word 或 WPS 中打开，请先关闭后再导出。"
NO_FOLDER = "保存位置“{folder}”不存在。"
BAD_YEAR = "年度 {year} 不在 1980—2100 之间。"
WRITTEN = "已导出 {year} 年度工作报告：{path}（{sections} 个部分，{charts} 幅图，{tables} 张表）"
EMPTY_YEAR = (
    "注意：数据文件中没有 {year} 年的记录（专利、资质认定、项目、奖励、活动都没有），报告里没有这一年的数字；"
    "请确认年度是否正确。"
)
