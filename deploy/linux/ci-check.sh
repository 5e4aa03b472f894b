#!/usr/bin/env bash
# CI check of the Linux deployment, as root on a machine where nothing of WakeWord is installed:
#   1. `systemd-analyze security --offline=true` rates the system unit 2.0 or less (it fails above);
#   2. install.sh --dry-run lists its steps and changes nothing on the machine (no user, no /opt/wakeword);
#      install.sh installs a published service (systemctl skipped when systemd is not running), the installed units
#      pass `systemd-analyze verify`, and the installed service runs as its user and detects a keyword in a file;
#   3. an upgrade keeps an edited config; uninstall.sh then leaves nothing behind but that config;
#   4. install then uninstall without an edit leaves nothing at all.
#   bash deploy/linux/ci-check.sh [PUBLISHED_DIR]     (without it, publishes src/WakeWord.Service first)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
fail() { echo "ci-check: FAIL: $*" >&2; exit 1; }
step() { echo "== ci-check: $*"; }

[ "$(id -u)" = 0 ] || fail "run as root"
. "$HERE/layout.sh"
PATHS=("$PREFIX" "$CONFIG_DIR" "$SYSTEM_UNIT" "$USER_UNIT" "${UNIT_DIRS[@]}")
# /run/wakeword is not checked here: a service started as root (the test suite does) makes it too.
for p in "${PATHS[@]}"; do [ "$p" = /run/wakeword ] || [ ! -e "$p" ] || fail "$p exists: not a clean machine"; done
! getent passwd wakeword >/dev/null || fail "user wakeword exists: not a clean machine"

WORK="$(mktemp -d /tmp/wakeword-ci-check.XXXXXX)"
cleanup() { bash "$HERE/uninstall.sh" >/dev/null 2>&1 || true; rm -rf /etc/wakeword "$WORK"; }
trap cleanup EXIT

step "systemd-analyze security (threshold 2.0)"
systemd-analyze security --offline=true --threshold=20 "$HERE/wakeword.service" | tail -1
systemd-analyze security --offline=true --threshold=20 "$HERE/wakeword.service" >/dev/null \
  || fail "the system unit is rated above 2.0"

PUB="${1:-}"
if [ -z "$PUB" ]; then
  step "publishing"
  dotnet publish "$REPO/src/WakeWord.Service" -c Release -o "$WORK/publish" --nologo -v quiet >/dev/null
  PUB="$WORK/publish"
fi

step "dry run changes nothing"
bash "$HERE/install.sh" --dry-run --from "$PUB" | tee "$WORK/dry-run.log"
grep -q "would run: cp -R" "$WORK/dry-run.log" || fail "the dry run did not list the program copy"
for p in "${PATHS[@]}"; do [ "$p" = /run/wakeword ] || [ ! -e "$p" ] || fail "the dry run made $p"; done
! getent passwd wakeword >/dev/null || fail "the dry run created user wakeword"

step "install"
bash "$HERE/install.sh" --from "$PUB" | tee "$WORK/install.log"
[ -x /opt/wakeword/wakeword-service ] || fail "no /opt/wakeword/wakeword-service"
[ -f /opt/wakeword/README.md ] || fail "no /opt/wakeword/README.md (the units' Documentation=)"
[ -f /opt/wakeword/models/computer.onnx ] || fail "no shipped model"
cmp -s /etc/wakeword/appsettings.json /opt/wakeword/appsettings.json || fail "/etc/wakeword/appsettings.json is not the shipped file"
id -nG wakeword | tr ' ' '\n' | grep -qx audio || fail "user wakeword is not in group audio"
[ "$(getent passwd wakeword | cut -d: -f7)" = /usr/sbin/nologin ] || fail "user wakeword has a login shell"
[ "$(stat -c %U /opt/wakeword/wakeword-service)" = root ] || fail "the program is not owned by root"
if [ ! -d /run/systemd/system ]; then
  grep -q "skipped systemctl" "$WORK/install.log" || fail "install.sh did not say it skipped systemctl"
fi

step "systemd-analyze verify (installed units)"
systemd-analyze verify /etc/systemd/system/wakeword.service
mkdir -p -m 0700 "$WORK/xdg"
XDG_RUNTIME_DIR="$WORK/xdg" systemd-analyze --user verify /etc/systemd/user/wakeword.service

step "the installed service, as user wakeword, on a file"
# The unit's settings and user; the log file and socket go to folders systemd would have made.
install -d -o wakeword -g wakeword -m 0750 "$WORK/log" "$WORK/run"
cp "$REPO/tests/data/audio/computer_real_1.wav" "$WORK/computer.wav" && chmod 0644 "$WORK/computer.wav"
chmod 0755 "$WORK"
runuser -u wakeword -- env WAKEWORD_CONFIG=/etc/wakeword/appsettings.json \
  Serilog__WriteTo__1__Args__path="$WORK/log/wakeword-.log" RUNTIME_DIRECTORY="$WORK/run" \
  /opt/wakeword/wakeword-service --Audio:Source=file --Audio:FilePath="$WORK/computer.wav" --Audio:ExitAtEnd=true \
  > "$WORK/service.log" 2>&1 || { cat "$WORK/service.log"; fail "the installed service failed"; }
grep -q 'Wake word "computer" detected' "$WORK/service.log" || { cat "$WORK/service.log"; fail "no wake event from the installed service"; }
ls "$WORK/log"/wakeword-*.log >/dev/null 2>&1 || fail "no log file in the configured log folder"

step "upgrade keeps an edited config"
sed -i 's/"HeartbeatSeconds": 5/"HeartbeatSeconds": 7/' /etc/wakeword/appsettings.json
grep -q '"HeartbeatSeconds": 7' /etc/wakeword/appsettings.json || fail "could not edit the config"
bash "$HERE/install.sh" --from "$PUB" | tee "$WORK/upgrade.log"
grep -q '"HeartbeatSeconds": 7' /etc/wakeword/appsettings.json || fail "the upgrade overwrote the edited config"
[ -f /etc/wakeword/appsettings.json.dist ] || fail "the upgrade did not put the new shipped config beside it"

step "uninstall keeps only the edited config"
bash "$HERE/uninstall.sh" | tee "$WORK/uninstall.log"
[ "$(ls -A /etc/wakeword)" = appsettings.json ] || fail "/etc/wakeword holds more than the edited config: $(ls -A /etc/wakeword)"
for p in "${PATHS[@]}"; do
  [ "$p" = /etc/wakeword ] || [ ! -e "$p" ] || fail "$p left behind"
done
! getent passwd wakeword >/dev/null || fail "user wakeword left behind"
! getent group wakeword >/dev/null || fail "group wakeword left behind"
rm -rf /etc/wakeword

step "install and uninstall without an edit leave nothing"
bash "$HERE/install.sh" --from "$PUB" >/dev/null
bash "$HERE/install.sh" --from "$PUB" >/dev/null   # an upgrade of an unedited config replaces it, no .dist
[ ! -e /etc/wakeword/appsettings.json.dist ] || fail "an unedited config was treated as edited"
bash "$HERE/uninstall.sh" >/dev/null
for p in "${PATHS[@]}"; do [ ! -e "$p" ] || fail "$p left behind"; done
! getent passwd wakeword >/dev/null || fail "user wakeword left behind"
echo "ci-check: OK"
