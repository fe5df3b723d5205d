"""The folders the embedded default writes into, made before anything opens them.

`var/` holds the SQLite file, the shared cache and the demo logins; media, private media and collected static files
may live anywhere the environment says. A missing folder (and its parents) is made; one that cannot be written is a
clear error naming it, raised before `migrate` or a worker meets an "unable to open database file".
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Setting name → what lives there, for the error message.
RUNTIME_FOLDERS = {
    "VAR_DIR": "运行数据（SQLite 数据库、缓存、演示账号）",
    "MEDIA_ROOT": "公开上传文件",
    "PRIVATE_MEDIA_ROOT": "非公开上传文件",
    "STATIC_ROOT": "收集后的静态文件",
}


def runtime_folders() -> dict[str, Path]:
    folders = {name: Path(getattr(settings, name)) for name in RUNTIME_FOLDERS if getattr(settings, name, None)}
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3" and str(database["NAME"]) != ":memory:":
        folders["DATABASES.default.NAME"] = Path(database["NAME"]).parent
    return folders


def ensure_runtime_folders() -> None:
    for name, folder in runtime_folders().items():
        ensure_writable_folder(folder, name)


def ensure_writable_folder(folder: Path, setting: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ImproperlyConfigured(
            f"无法创建 {setting} 目录 {folder}：{error.strerror}。请改用可写的位置（环境变量 {_env_name(setting)}）"
            f"或为运行网站的用户授予写权限。"
        ) from error
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ImproperlyConfigured(
            f"{setting} 目录 {folder} 不可写。请改用可写的位置（环境变量 {_env_name(setting)}）"
            f"或为运行网站的用户授予写权限。"
        )


def _env_name(setting: str) -> str:
    return {"VAR_DIR": "JINCAI_VAR_DIR", "DATABASES.default.NAME": "DATABASE_URL"}.get(setting, setting)
