#!/usr/bin/env bash
# Frozen smoke test: build the program with build.spec (as on Windows), then run the frozen kejiju-cli and
# kejiju with no network, as on an office PC. Exits non-zero when the build or any step fails.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
# Size guard on Linux, against something unused getting in (ICU and X11 make Linux larger than Windows).
MAX_MB=${KEJIJU_FROZEN_MAX_MB:-250}

# Build output outside the tree, one folder per checkout; runs of the same checkout take turns.
BUILD=${KEJIJU_FROZEN_BUILD:-${TMPDIR:-/tmp}/kejiju-frozen-$(printf %s "$ROOT" | sha1sum | cut -c1-8)}
mkdir -p "$BUILD"
exec 9>"$BUILD/.lock"
flock 9
RUN=$(mktemp -d "${TMPDIR:-/tmp}/kejiju-smoke.XXXXXX")
[ -n "${KEJIJU_SMOKE_KEEP:-}" ] || trap 'rm -rf "$RUN"' EXIT  # KEJIJU_SMOKE_KEEP=1 keeps the outputs
APP=$BUILD/dist/kejiju
CLI=$APP/kejiju-cli
GUI=$APP/kejiju

say() { printf '[smoke] %s\n' "$*"; }
die() {
  printf '[smoke] FAILED: %s\n' "$*" >&2
  exit 1
}
now() { printf %s "${EPOCHREALTIME/,/.}"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# --- No network: a network namespace with no interfaces (user namespace when not root) ---------------
OFFLINE=()
for candidate in "unshare -rn" "unshare -n"; do
  if $candidate true 2>/dev/null; then
    read -ra OFFLINE <<<"$candidate"
    break
  fi
done
[ ${#OFFLINE[@]} -gt 0 ] \
  || die "cannot create a network namespace (unshare -rn / unshare -n); the frozen program must be tried offline"
offline() { "${OFFLINE[@]}" env -u MPLCONFIGDIR KEJIJU_HOME="$RUN/home" QT_QPA_PLATFORM=offscreen "$@"; }
offline "$PY" -c "import socket; socket.create_connection(('1.1.1.1', 53), 3)" 2>/dev/null \
  && die "the network is reachable inside '${OFFLINE[*]}'"
say "offline: running the frozen programs under '${OFFLINE[*]}' (connecting out fails there)"

# --- Build -------------------------------------------------------------------------------------------
# PyInstaller needs objdump (binutils) on Linux; .ci/run's image may lack it.
if ! command -v objdump >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  say "installing binutils (objdump) for PyInstaller"
  { apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends binutils; } >/dev/null \
    || die "cannot install binutils"
fi
command -v objdump >/dev/null 2>&1 || die "PyInstaller needs objdump (package binutils)"
say "building with build.spec into $BUILD (log: $BUILD/build.log)"
t0=$(now)
if ! "$ROOT/.venv/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$BUILD/dist" \
  --workpath "$BUILD/work" build.spec >"$BUILD/build.log" 2>&1; then
  tail -n 40 "$BUILD/build.log" >&2
  die "pyinstaller build.spec"
fi
say "build: ok ($(secs "$t0" "$(now)") s)"
[ -x "$CLI" ] && [ -x "$GUI" ] || die "the build made no $CLI and $GUI"
[ -n "$(find "$APP" -name qtbase_zh_CN.qm)" ] || die "Qt's Chinese translation qtbase_zh_CN.qm is not in the bundle"

# --- Steps ------------------------------------------------------------------------------------------
LAST_SECONDS=0
step() { # step NAME COMMAND...: run offline, print its time; stop on a non-zero exit
  local name=$1 t0 rc
  shift
  t0=$(now)
  offline "$@" >"$RUN/out.txt" 2>"$RUN/err.txt"
  rc=$?
  LAST_SECONDS=$(secs "$t0" "$(now)")
  if [ $rc -ne 0 ]; then
    cat "$RUN/out.txt" "$RUN/err.txt" | tail -n 30 >&2
    tail -n 30 "$RUN"/home/logs/*.log 2>/dev/null >&2  # the window's errors go to its log file
    die "$name (exit $rc)"
  fi
  if grep -qiE "Traceback|Glyph .* missing" "$RUN/err.txt"; then
    cat "$RUN/err.txt" | tail -n 30 >&2
    die "$name printed a traceback or a missing-glyph warning"
  fi
  say "$name: ok ($LAST_SECONDS s)"
}
expect_file() { [ -s "$1" ] || die "$2: $1 is missing or empty"; }

version=$("$PY" -c "import kejiju_desktop; print(kejiju_desktop.__version__)")
step "kejiju-cli --version" "$CLI" --version
grep -q "$version" "$RUN/out.txt" || die "--version printed '$(cat "$RUN/out.txt")', not $version"

step "kejiju-cli init (runs the Alembic migrations)" "$CLI" init --db "$RUN/empty.kjdb"
expect_file "$RUN/empty.kjdb" init
step "kejiju-cli check (empty file)" "$CLI" check --db "$RUN/empty.kjdb"

step "kejiju-cli demo" "$CLI" demo --db "$RUN/demo.kjdb"
expect_file "$RUN/demo.kjdb" demo
step "kejiju-cli check (demo file)" "$CLI" check --db "$RUN/demo.kjdb"

step "kejiju-cli report --year 2012" \
  "$CLI" report --db "$RUN/demo.kjdb" --year 2012 -o "$RUN/report-2012.docx"
expect_file "$RUN/report-2012.docx" report
charts=$("$PY" -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); \
print(sum(n.startswith('word/media/') for n in z.namelist()) if 'word/document.xml' in z.namelist() else -1)" \
  "$RUN/report-2012.docx") || die "report: the .docx does not open as a Word file"
[ "$charts" -ge 1 ] || die "report: the .docx has no chart pictures (word/media)"
say "report: $(stat -c %s "$RUN/report-2012.docx") bytes, $charts chart picture(s)"
ls "$RUN"/home/matplotlib/fontlist-*.json >/dev/null 2>&1 \
  || die "report: matplotlib's font cache is not in the user data folder (MPLCONFIGDIR run-time hook)"

# The other handlers (each imported by name at run time): Excel out and back in, backup, merge preview.
step "kejiju-cli export --table enterprises" \
  "$CLI" export --db "$RUN/demo.kjdb" --table enterprises -o "$RUN/units.xlsx"
expect_file "$RUN/units.xlsx" export
step "kejiju-cli import --dry-run" \
  "$CLI" import --db "$RUN/empty.kjdb" --table enterprises "$RUN/units.xlsx" --dry-run
step "kejiju-cli backup" "$CLI" backup --db "$RUN/demo.kjdb" -o "$RUN/copy.kjdb"
expect_file "$RUN/copy.kjdb" backup
step "kejiju-cli merge --dry-run" "$CLI" merge --db "$RUN/empty.kjdb" "$RUN/copy.kjdb" --dry-run

step "kejiju --screenshot --tab patents (start to window shown)" \
  "$GUI" --db "$RUN/demo.kjdb" --screenshot "$RUN/window.png" --tab patents
expect_file "$RUN/window.png" screenshot
size=$("$PY" -c "import sys; from PIL import Image; print('%dx%d' % Image.open(sys.argv[1]).size)" "$RUN/window.png")
say "screenshot: $size PNG; frozen start to window shown and saved: $LAST_SECONDS s"
! grep -h "qtbase_zh_CN.qm not found" "$RUN"/home/logs/*.log 2>/dev/null \
  || die "screenshot: Qt's Chinese translation did not load in the frozen program"
# The report composer pane (its preview draws with matplotlib).
step "kejiju --screenshot --tab report" \
  "$GUI" --db "$RUN/demo.kjdb" --screenshot "$RUN/report-tab.png" --tab report
expect_file "$RUN/report-tab.png" "screenshot of the report pane"

[ -n "${KEJIJU_SMOKE_KEEP:-}" ] && say "outputs kept in $RUN"

# --- Figures ----------------------------------------------------------------------------------------
mb=$(du -sm "$APP" | cut -f1)
say "frozen folder: $mb MB ($APP; goal on Windows <= 150 MB); largest parts:"
du -sm "$APP"/kejiju* "$APP"/_internal/* 2>/dev/null | sort -rn | head -n 8 \
  | sed "s|$APP/||; s/^/[smoke]     /"
[ "$mb" -le "$MAX_MB" ] \
  || die "the frozen folder is $mb MB, over the $MAX_MB MB guard: something unused got in"
say "all frozen steps passed"
