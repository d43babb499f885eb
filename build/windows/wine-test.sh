#!/usr/bin/env bash
# The Windows downloads under Debian's 64-bit Wine 8.0, headless: the
# portable maillab.exe prints the version, help and scenarios the Linux
# binary prints; the installer installs silently (/S) for everyone (Program
# Files) and for the current user (%LOCALAPPDATA%\Programs), and its
# uninstaller removes each. Usage: wine-test.sh DIST VERSION NATIVE_BINARY
#
# Two facts about Wine 8.0 (Debian 12): Go >= 1.22 needs ProcessPrng from
# bcryptprimitives.dll, which Wine lacks, so a stub of a dozen lines
# (wine/processprng.c, forwarding to RtlGenRandom) goes into system32; and
# Go's UDP sockets fail there (no SIO_UDP_NETRESET), so the simulated DNS,
# and with it the scenarios, are tested on Linux only. The product is not
# changed to suit Wine.
set -euo pipefail
dist=${1:?dist folder}
version=${2:?version}
native=${3:?the Linux binary, for comparison}
here=$(cd "$(dirname "$0")" && pwd)
wine=/usr/lib/wine/wine64
fail() { echo "wine-test: $*" >&2; exit 1; }
ok() { echo "wine-test: ok: $*"; }

tmp=$(mktemp -d)
# A home of its own: Wine links the prefix's Desktop and Documents to $HOME,
# and no menu entries (winemenubuilder) for the shortcuts the installer makes.
export HOME=$tmp/home WINEPREFIX=$tmp/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
mkdir -p "$HOME"
display=:$((200 + RANDOM % 100))
Xvfb "$display" -screen 0 1024x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
cleanup() { "${wine%/*}/wineserver" -k 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
export DISPLAY=$display

"$wine" wineboot -i >/dev/null 2>&1
"$wine" winecfg /v win10 >/dev/null 2>&1 # the installer wants Windows 10 or later
x86_64-w64-mingw32-gcc -shared -O2 -o "$tmp/bcryptprimitives.dll" "$here/wine/processprng.c" "$here/wine/processprng.def"
cp "$tmp/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
ok "a Windows 10 prefix with the ProcessPrng stub"

python3 -m zipfile -e "$dist/maillab_${version}_windows_amd64.zip" "$tmp/portable"
exe=$tmp/portable/maillab.exe
run() { "$wine" "$@" 2>/dev/null | tr -d '\r'; }
[ "$(run "$exe" --version)" = "maillab $version" ] || fail "--version: $(run "$exe" --version)"
# The help is the same but for the CA file's default, a Windows path there.
diff <(run "$exe" help | grep -v -- '--ca-file') <("$native" help | grep -v -- '--ca-file') || fail "help differs from Linux"
run "$exe" help | grep -q 'AppData.*Local.*maillab.*maillab-ca\.pem' || fail "the CA file is not under %LOCALAPPDATA%"
diff <(run "$exe" scenarios) <("$native" scenarios) || fail "scenarios differ from Linux"
ok "the portable maillab.exe: --version, help and scenarios as on Linux"

# The installer checks for WebView2 and would fetch it from the internet:
# tell it the runtime is there, as on Windows 10/11.
"$wine" reg add 'HKLM\SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}' \
  /v pv /d 120.0.0.0 /f >/dev/null 2>&1
# For everyone (Program Files, the uninstall entry in HKLM), then for the
# current user only (%LOCALAPPDATA%\Programs, HKCU): /AllUsers, /CurrentUser.
check_mode() {
  local flag=$1 dir=$2 win=$3 hive=$4
  timeout 120 "$wine" "$dist/maillab_${version}_windows_amd64_setup.exe" /S "$flag" || fail "the installer failed with $flag ($?)"
  [ -f "$dir/Maillab.exe" ] || fail "$flag: no Maillab.exe in $dir"
  [ -f "$dir/uninstall.exe" ] || fail "$flag: no uninstaller"
  [ "$(run "$win\\Maillab.exe" --version)" = "maillab $version" ] || fail "$flag: the installed program does not run"
  run reg query "$hive\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\MaillabMaillab" | grep -q UninstallString ||
    fail "$flag: no uninstall entry in $hive"
  ok "$flag: Maillab.exe and its uninstaller in $win, the uninstall entry in $hive"
  timeout 120 "$wine" "$win\\uninstall.exe" /S || fail "$flag: the uninstaller failed"
  for _ in $(seq 30); do [ -e "$dir" ] || break; sleep 0.5; done # it runs from a temporary copy
  [ ! -e "$dir" ] || fail "$flag: the uninstaller left: $(find "$dir")"
  [ ! -e "$(dirname "$dir")" ] || fail "$flag: the uninstaller left the Maillab folder"
  if run reg query "$hive\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\MaillabMaillab" | grep -q UninstallString; then
    fail "$flag: the uninstall entry stayed"
  fi
  ok "$flag: the uninstaller removed it"
}
check_mode /AllUsers "$WINEPREFIX/drive_c/Program Files/Maillab/Maillab" 'C:\Program Files\Maillab\Maillab' HKLM
user=$(whoami)
check_mode /CurrentUser "$WINEPREFIX/drive_c/users/$user/AppData/Local/Programs/Maillab/Maillab" \
  "C:\\users\\$user\\AppData\\Local\\Programs\\Maillab\\Maillab" HKCU
