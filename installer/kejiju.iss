; Inno Setup 6.3+ script: per-user installer of 科技局桌面数据管理 (no administrator rights needed).
;
; Build it on Windows after `pyinstaller --noconfirm build.spec` (which makes dist\kejiju\):
;     iscc installer\kejiju.iss          ->  dist\installer\kejiju-setup-<version>.exe
; The name, publisher and version come from dist\kejiju\kejiju.exe, whose version information build.spec
; writes from kejiju_desktop: there is one version number, __version__ in kejiju_desktop/__init__.py.
;
; The program goes to %LOCALAPPDATA%\Programs\kejiju. The clerk's data (the default data file, settings,
; automatic backups, logs) lives in the user data folder %LOCALAPPDATA%\kejiju, which neither an update
; nor the uninstaller touches.

#define AppExe "kejiju.exe"
#ifndef DistDir
  #define DistDir AddBackslash(SourcePath) + "..\dist\kejiju"
#endif
#if !FileExists(DistDir + "\" + AppExe)
  #error "dist\kejiju\kejiju.exe is missing: run `pyinstaller --noconfirm build.spec` first"
#endif
; Name, publisher and version as build.spec wrote them into kejiju.exe (kejiju_desktop/version.py).
#define AppName GetStringFileInfo(DistDir + "\" + AppExe, "ProductName")
#define AppPublisher GetStringFileInfo(DistDir + "\" + AppExe, "CompanyName")
#define AppVersion GetStringFileInfo(DistDir + "\" + AppExe, "ProductVersion")
#define AppVersionNumbers GetVersionNumbersString(DistDir + "\" + AppExe)
#define DataFolder "{localappdata}\kejiju"
#define FileClass "Kejiju.DataFile"

[Setup]
; AppId identifies the program for updates and uninstall: never change it.
AppId={{6E2D4C9B-7A51-4F0E-9C3B-2B8F1D6A4E73}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersionNumbers}
VersionInfoProductName={#AppName}
VersionInfoDescription={#AppName} 安装程序
PrivilegesRequired=lowest
DefaultDirName={autopf}\kejiju
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesAssociations=yes
CloseApplications=yes
SetupIconFile=..\resources\icons\kejiju.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
OutputDir=..\dist\installer
OutputBaseFilename=kejiju-setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no

[Languages]
; Inno Setup ships Chinese (Simplified) as a translation it may or may not install; the Windows workflow
; puts ChineseSimplified.isl into the compiler's Languages folder when it is missing.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma warning "ChineseSimplified.isl not found: the setup wizard will be in English"
Name: "en"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
DesktopIcon=在桌面创建快捷方式
Shortcuts=快捷方式：
DataKept=程序已卸载。%n%n您的数据文件、设置和自动备份仍保留在：%n%1%n%n重新安装后可以继续使用；不再需要时可手动删除该文件夹。
FileTypeName=科技局数据文件

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:Shortcuts}"

[InstallDelete]
; An update replaces the whole bundle: files an older version had must not linger beside the new ones.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#DistDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Registry]
; Double-clicking a .kjdb file opens it in the program (per user: HKA is HKEY_CURRENT_USER here).
Root: HKA; Subkey: "Software\Classes\.kjdb"; ValueType: string; ValueName: ""; ValueData: "{#FileClass}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.kjdb\OpenWithProgids"; ValueType: string; ValueName: "{#FileClass}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#FileClass}"; ValueType: string; ValueName: ""; ValueData: "{cm:FileTypeName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#FileClass}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#FileClass}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" --db ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".kjdb"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  { The uninstaller removes only {app}; say where the data stays. }
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{#DataFolder}')]), mbInformation, MB_OK);
end;
