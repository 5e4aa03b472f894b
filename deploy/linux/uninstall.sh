#!/usr/bin/env bash
# Removes what deploy/linux/install.sh installed: the units, /opt/wakeword, the service's state, log and runtime
# folders, and the wakeword user and group. /etc/wakeword/appsettings.json is kept if it differs from the shipped
# settings (an administrator edited it; delete it yourself if you do not want it), else removed with the folder.
#
#   sudo deploy/linux/uninstall.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=layout.sh
. "$HERE/layout.sh"

die() { echo "uninstall.sh: $*" >&2; exit 1; }
say() { echo "uninstall.sh: $*"; }

case "${1:-}" in
  "") ;;
  -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) die "unknown option '$1' (try --help)" ;;
esac
[ "$(id -u)" = 0 ] || die "run as root (sudo $0)"

if [ -d /run/systemd/system ]; then
  systemctl disable --now wakeword 2>/dev/null || true
else
  say "systemd is not running here: skipped systemctl (disable --now wakeword)"
fi
rm -f "$SYSTEM_UNIT" "$USER_UNIT"
[ -d /run/systemd/system ] && systemctl daemon-reload

# The config is compared with the shipped file before the program (which holds that file) goes.
config="$CONFIG_DIR/appsettings.json"
if [ -e "$config" ]; then
  if [ -f "$PREFIX/appsettings.json" ] && cmp -s "$config" "$PREFIX/appsettings.json"; then
    rm -f "$config"
  else
    say "kept $config: it differs from the shipped settings"
  fi
fi
rm -f "$CONFIG_DIR/appsettings.json.dist"
rmdir "$CONFIG_DIR" 2>/dev/null || true

rm -rf "$PREFIX" "$PREFIX.new" "$PREFIX.old" "${UNIT_DIRS[@]}"

if getent passwd "$SERVICE_USER" >/dev/null; then
  userdel "$SERVICE_USER"
fi
if getent group "$SERVICE_USER" >/dev/null; then
  groupdel "$SERVICE_USER"
fi
say "removed the WakeWord service"
