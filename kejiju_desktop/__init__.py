"""Application core of 科技局桌面数据管理: no Qt here."""

__version__ = "0.1.0"
APP_NAME = "科技局桌面数据管理"
APP_ID = "kejiju"
