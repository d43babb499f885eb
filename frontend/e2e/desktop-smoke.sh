#!/usr/bin/env bash
# Desktop smoke test: start the real Wails app under Xvfb, wait until the
# frontend reports through the bridge that it rendered ("maillab: frontend
# ready" is printed by App.Ready), take a screenshot, check it is not blank,
# then quit with SIGTERM and expect a clean exit.
set -euo pipefail
bin=${1:?usage: desktop-smoke.sh BINARY SCREENSHOT}
shot=${2:?usage: desktop-smoke.sh BINARY SCREENSHOT}
mkdir -p "$(dirname "$shot")"
log=$(mktemp)
display=:$((90 + RANDOM % 100))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill "$xvfb" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done

start=$(date +%s.%N)
# A port base of its own, so a developer's running world does not collide.
DISPLAY=$display "$bin" --port-base $((30000 + RANDOM % 50 * 100)) >"$log" 2>&1 &
app=$!
for _ in $(seq 600); do
  grep -q "maillab: frontend ready" "$log" && break
  kill -0 "$app" 2>/dev/null || { echo "desktop-smoke: the app exited early:"; cat "$log"; exit 1; }
  sleep 0.1
done
grep -q "maillab: frontend ready" "$log" || { echo "desktop-smoke: no ready signal after 60 s:"; cat "$log"; exit 1; }
ready=$(date +%s.%N)
sleep 1 # let the first paint settle
DISPLAY=$display /usr/bin/import -window root "$shot"
rss=$(ps -o rss= -p "$app" | tr -d ' ')
stddev=$(/usr/bin/convert "$shot" -colorspace Gray -format '%[fx:standard_deviation]' info:)
kill -TERM "$app"
code=0
wait "$app" || code=$?
printf 'desktop-smoke: ready after %.2f s, Go process RSS %d MB, screenshot %s (grey std-dev %s), exit %d\n' \
  "$(awk -v a="$start" -v b="$ready" 'BEGIN { print b - a }')" "$((rss / 1024))" "$shot" "$stddev" "$code"
awk -v s="$stddev" 'BEGIN { exit !(s > 0.02) }' || { echo "desktop-smoke: the screenshot is blank"; exit 1; }
[ "$code" = 0 ] || { echo "desktop-smoke: the app did not quit cleanly:"; cat "$log"; exit 1; }
echo "desktop-smoke: ok"
