"""The main window's extensions: each install(window) adds its menu entries and panes, in this order."""

from ui import (
    exchange_actions,
    global_search,
    list_actions,
    portability_actions,
    report_composer,
    settings_actions,
)

EXTENSIONS = (
    report_composer.install,  # the 年度报告 pane, 报告 → 一键导出年度报告, 数据 → 年度目标…
    portability_actions.install,  # 文件 → 另存副本, 恢复备份, 检查数据文件, 合并其他数据文件; automatic backups
    exchange_actions.install,  # 数据 → 导出Excel…, 导出空白模板…, 从Excel导入…
    settings_actions.install,  # 文件 → 设置…; the operator's name asked once per file that has none
    list_actions.install,  # 文件 → 导出当前列表…, 打印当前列表… (Ctrl+P), and a button of each on every tab
    global_search.install,  # 编辑 → 全局搜索… (Ctrl+K) and its box in the toolbar
)
