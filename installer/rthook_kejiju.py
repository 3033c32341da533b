"""PyInstaller run-time hook: a persistent MPLCONFIGDIR in the user data folder, before matplotlib loads."""

import os


def _persistent_mplconfigdir() -> None:
    # PyInstaller's own matplotlib hook would use a new temporary folder on every start, so each start
    # would rebuild the font cache (seconds); build.spec drops that hook and this one runs instead.
    if os.environ.get("MPLCONFIGDIR"):
        return
    try:
        from kejiju_desktop.paths import matplotlib_config_dir

        os.environ["MPLCONFIGDIR"] = str(matplotlib_config_dir())
    except OSError:
        pass  # an unwritable user folder: matplotlib then picks a temporary folder itself


_persistent_mplconfigdir()
