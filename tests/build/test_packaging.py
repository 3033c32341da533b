"""build.spec, the installer script, the Windows workflow and the CI smoke test agree with each other."""

import re
from pathlib import Path

from kejiju_desktop import APP_ID, APP_NAME
from kejiju_desktop.version import windows_strings

ROOT = Path(__file__).resolve().parents[2]
SPEC = (ROOT / "build.spec").read_text(encoding="utf-8")
ISS = (ROOT / "installer" / "kejiju.iss").read_text(encoding="utf-8-sig")
WORKFLOW = (ROOT / ".github" / "workflows" / "windows.yml").read_text(encoding="utf-8")


def _iss_define(name: str) -> str:
    return re.search(rf'^#define {name} "([^"]*)"', ISS, re.MULTILINE).group(1)


def test_spec_makes_a_windowed_program_and_its_console_twin_in_one_folder():
    exes = dict(re.findall(r'_exe\("([\w-]+)", console=(True|False)', SPEC))
    assert exes == {"kejiju": "False", "kejiju-cli": "True"}
    assert re.search(r"COLLECT\((\s*#[^\n]*)?\s*gui,\s*cli,", SPEC)  # one folder, one shared set of libraries
    assert 'name="kejiju"' in SPEC


def test_spec_ships_what_the_program_reads_from_disk():
    for needed in ("db/migrations/env.py", "resources/icons/kejiju.ico", "installer/rthook_kejiju.py"):
        assert (ROOT / needed).is_file(), needed
    assert list((ROOT / "db" / "migrations" / "versions").glob("0001_*.py"))
    assert list((ROOT / "resources" / "fonts").glob("*.otf")), "the CJK chart font"
    assert 'collect_data_files("docx")' in SPEC and 'collect_data_files("pypinyin"' in SPEC
    assert "qtbase_zh_CN.qm" in SPEC
    assert '"pyi_rth_mplconfig"' in SPEC  # PyInstaller's temporary MPLCONFIGDIR is replaced by ours


def test_installer_installs_the_built_folder_per_user():
    assert re.search(r"^PrivilegesRequired=lowest$", ISS, re.MULTILINE)
    for name, key in (
        ("AppName", "ProductName"),
        ("AppPublisher", "CompanyName"),
        ("AppVersion", "ProductVersion"),
    ):
        assert re.search(rf'^#define {name} GetStringFileInfo\(.*"{key}"\)$', ISS, re.MULTILINE), name
    assert windows_strings("kejiju", APP_NAME)["ProductName"] == APP_NAME
    assert _iss_define("AppExe") == "kejiju.exe"
    assert '"..\\dist\\kejiju"' in ISS


def test_installer_associates_data_files_and_makes_shortcuts():
    assert 'Subkey: "Software\\Classes\\.kjdb"' in ISS
    assert '""{app}\\{#AppExe}"" --db ""%1""' in ISS
    assert re.search(r'^Name: "\{autoprograms\}', ISS, re.MULTILINE)
    assert re.search(r'^Name: "\{autodesktop\}.*Tasks: desktopicon', ISS, re.MULTILINE)


def test_uninstall_keeps_the_user_data_folder():
    data_folder = _iss_define("DataFolder")
    assert data_folder == "{localappdata}\\" + APP_ID  # platformdirs' user_data_dir(APP_ID) on Windows
    uninstall_delete = re.search(r"^\[UninstallDelete\](.*?)(^\[|\Z)", ISS, re.MULTILINE | re.DOTALL)
    assert uninstall_delete is None or "localappdata" not in uninstall_delete.group(1)
    install_delete = re.search(r"^\[InstallDelete\](.*?)^\[", ISS, re.MULTILINE | re.DOTALL).group(1)
    assert "{localappdata}" not in install_delete and "{app}" in install_delete


def test_workflow_builds_with_the_spec_and_the_installer_script():
    assert "runs-on: windows-latest" in WORKFLOW
    assert 'python-version: "3.11"' in WORKFLOW
    assert "pip install -r requirements-dev.txt" in WORKFLOW
    assert "pyinstaller --noconfirm build.spec" in WORKFLOW
    assert "iscc installer\\kejiju.iss" in WORKFLOW
    assert "path: dist/kejiju/" in WORKFLOW and "path: dist/installer/" in WORKFLOW


def test_ci_runs_the_frozen_smoke_test_offline():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert any(line.startswith("bash .ci/smoke_frozen.sh") for line in ci.splitlines())
    smoke = (ROOT / ".ci" / "smoke_frozen.sh").read_text(encoding="utf-8")
    assert "unshare -rn" in smoke and "build.spec" in smoke
    for step in ("--version", " init ", " demo ", " check ", " report ", "--screenshot"):
        assert step in smoke, step
