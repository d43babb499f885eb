#!/usr/bin/env bash
# Checks what `make dist` built: checksums, file formats, the .deb's fields
# and lintian verdict, the .deb installed, run and removed (as root), the
# archives' contents. Usage: dist-test.sh DIST VERSION NATIVE_BINARY
set -euo pipefail
dist=${1:?dist folder}
version=${2:?version}
native=${3:?freshly built binary, for comparison}
fail() { echo "dist-test: $*" >&2; exit 1; }
ok() { echo "dist-test: ok: $*"; }

deb=$dist/maillab_${version}_amd64.deb
rpm=$dist/maillab_${version}_x86_64.rpm
tgz=$dist/maillab_${version}_linux_amd64.tar.gz
web=$dist/maillab_${version}_web.zip
winzip=$dist/maillab_${version}_windows_amd64.zip
setup=$dist/maillab_${version}_windows_amd64_setup.exe
for f in "$deb" "$rpm" "$tgz" "$web" "$winzip" "$setup" "$dist/SHA256SUMS"; do [ -s "$f" ] || fail "missing $f"; done
ok "every file is there"

(cd "$dist" && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not verify"
[ "$(wc -l < "$dist/SHA256SUMS")" -eq 6 ] || fail "SHA256SUMS should list 6 files"
ok "SHA256SUMS verifies"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 -m zipfile -e "$winzip" "$tmp/win"
file "$tmp/win/maillab.exe" | grep -q 'PE32+ executable (GUI) x86-64' || fail "maillab.exe: $(file "$tmp/win/maillab.exe")"
file "$setup" | grep -q 'PE32+ executable (GUI) x86-64' || fail "setup: $(file "$setup")"
grep -aq 'Nullsoft' "$setup" || fail "the setup is no NSIS installer"
ok "maillab.exe and the setup are PE32+ x86-64 GUI programs, the setup an NSIS installer"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = maillab ] || fail "Package: $(field Package)"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
for dep in libc6 libgtk-3-0 libwebkit2gtk-4.1-0; do field Depends | grep -qw -- "$dep" || fail "Depends lacks $dep: $(field Depends)"; done
contents=$(dpkg-deb -c "$deb" | awk '{print $6}')
for path in ./usr/bin/maillab ./usr/share/applications/maillab.desktop ./usr/share/icons/hicolor/512x512/apps/maillab.png \
  ./usr/share/man/man1/maillab.1.gz ./usr/share/man/man1/maillab-trace.1.gz ./usr/share/bash-completion/completions/maillab \
  ./usr/share/zsh/vendor-completions/_maillab ./usr/share/fish/vendor_completions.d/maillab.fish ./usr/share/doc/maillab/copyright; do
  grep -qx -- "$path" <<<"$contents" || fail "the .deb lacks $path"
done
ok "the .deb's fields and files"

errors=$(lintian --tag-display-limit 0 "$deb" 2>/dev/null | grep '^E:' || true)
[ -z "$errors" ] || fail "lintian errors: $errors"
ok "lintian: no errors ($(lintian "$deb" 2>/dev/null | grep -c '^W:' || true) warnings)"

[ "$(head -c 4 "$rpm" | od -An -tx1 | tr -d ' \n')" = edabeedb ] || fail "not an RPM package"
ok "the .rpm is an RPM package"

tar -tzf "$tgz" > "$tmp/tgz"
for f in maillab README.md completions/maillab.bash; do grep -q "/$f\$" "$tmp/tgz" || fail "the tar.gz lacks $f"; done
python3 -m zipfile -l "$web" > "$tmp/web"
for f in index.html maillab.wasm.gz wasm_exec.js sw.js manifest.webmanifest; do grep -q "^$f " "$tmp/web" || fail "the web zip lacks $f"; done
ok "the tar.gz and the web zip hold what they should"

want=$("$native" trace send-pop3 | wc -l)
if [ "$(id -u)" = 0 ] && command -v dpkg >/dev/null; then
  dpkg -s maillab >/dev/null 2>&1 && fail "a maillab package is installed already: not touching it"
  dpkg -i "$deb" >/dev/null
  got=$(/usr/bin/maillab trace send-pop3 | wc -l)
  shown=$(/usr/bin/maillab --version)
  dpkg -r maillab >/dev/null
  [ ! -e /usr/bin/maillab ] || fail "dpkg -r left /usr/bin/maillab"
  [ "$shown" = "maillab $version" ] || fail "--version printed $shown"
  [ "$got" = "$want" ] || fail "the installed maillab traced $got lines, the fresh build $want"
  ok "installed with dpkg, traced send-pop3 ($got lines, as the fresh build), removed"
else
  dpkg-deb -x "$deb" "$tmp/root"
  got=$("$tmp/root/usr/bin/maillab" trace send-pop3 | wc -l)
  [ "$got" = "$want" ] || fail "the packaged maillab traced $got lines, the fresh build $want"
  ok "run from the extracted .deb (not root: no dpkg -i): $got lines"
fi
