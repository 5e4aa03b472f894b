#!/usr/bin/env bash
# Installs the WakeWord service on a systemd Linux machine, or upgrades an installed one.
#
#   sudo deploy/linux/install.sh                 # publishes src/WakeWord.Service (needs the .NET SDK)
#   sudo deploy/linux/install.sh --from DIR      # a folder made by `dotnet publish src/WakeWord.Service -o DIR`
#
# What it does:
#   - the system user and group `wakeword` (no home, no shell), in the `audio` group for the sound devices;
#   - the program under /opt/wakeword (replaced as a whole on upgrade);
#   - the settings in /etc/wakeword/appsettings.json: the shipped file on a first install; on upgrade an edited file
#     is kept as it is and the new shipped one is put beside it as appsettings.json.dist (an unedited one is
#     replaced by the new shipped file);
#   - the hardened system unit (/etc/systemd/system/wakeword.service) and the per-user unit
#     (/etc/systemd/user/wakeword.service, for `systemctl --user enable --now wakeword` instead of the system one);
#   - `systemctl enable --now wakeword` (or a restart on upgrade). Without a running systemd (a container, a chroot)
#     only the systemctl steps are skipped, and it says so.
# deploy/linux/uninstall.sh undoes all of it.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
# shellcheck source=layout.sh
. "$HERE/layout.sh"

die() { echo "install.sh: $*" >&2; exit 1; }
say() { echo "install.sh: $*"; }

FROM=""
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] || die "--from needs a folder"; FROM="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
done

[ "$(id -u)" = 0 ] || die "run as root (sudo $0)"

STAGE="$(mktemp -d /tmp/wakeword-install.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT

if [ -z "$FROM" ]; then
  command -v dotnet >/dev/null || die "no --from folder and no dotnet SDK to publish with"
  say "publishing src/WakeWord.Service"
  dotnet publish "$REPO/src/WakeWord.Service" -c Release -o "$STAGE/publish" --nologo -v quiet >/dev/null
  FROM="$STAGE/publish"
fi
[ -x "$FROM/wakeword-service" ] || die "'$FROM' is not a published service folder (no executable wakeword-service in it)"
[ -f "$FROM/appsettings.json" ] || die "'$FROM' has no appsettings.json"

# The account: a system user that cannot log in, with its own group (the event socket's group) and audio.
getent group audio >/dev/null || { say "creating group audio"; groupadd --system audio; }
if ! getent passwd "$SERVICE_USER" >/dev/null; then
  say "creating system user $SERVICE_USER"
  useradd --system --user-group --groups audio --no-create-home --home-dir /nonexistent \
    --shell /usr/sbin/nologin --comment "WakeWord service" "$SERVICE_USER"
else
  usermod --append --groups audio "$SERVICE_USER"
fi

# Whether the installed settings are still the shipped ones, judged before the old program (which holds the shipped
# file it came with) is replaced: an unedited file follows the upgrade, an edited one stays.
config_edited=no
if [ -e "$CONFIG_DIR/appsettings.json" ] && ! cmp -s "$CONFIG_DIR/appsettings.json" "$PREFIX/appsettings.json" 2>/dev/null; then
  config_edited=yes
fi

# The program: copied aside, then swapped in, so that a failed copy leaves the old one in place. Owned by root:
# the service cannot change its own code or models.
say "installing the program in $PREFIX"
rm -rf "$PREFIX.new"
cp -R "$FROM" "$PREFIX.new"
chown -R root:root "$PREFIX.new"
chmod -R u=rwX,go=rX "$PREFIX.new"
chmod 0755 "$PREFIX.new/wakeword-service"
rm -rf "$PREFIX.old"
[ -e "$PREFIX" ] && mv "$PREFIX" "$PREFIX.old"
mv "$PREFIX.new" "$PREFIX"
rm -rf "$PREFIX.old"

# The settings: never overwrite what an administrator may have edited.
install -d -m 0755 "$CONFIG_DIR"
if [ "$config_edited" = yes ]; then
  install -m 0644 "$PREFIX/appsettings.json" "$CONFIG_DIR/appsettings.json.dist"
  say "kept $CONFIG_DIR/appsettings.json; the new shipped settings are in $CONFIG_DIR/appsettings.json.dist"
else
  install -m 0644 "$PREFIX/appsettings.json" "$CONFIG_DIR/appsettings.json"
  say "settings: $CONFIG_DIR/appsettings.json (edit it; the service reloads models and thresholds live)"
fi

install -d -m 0755 "$(dirname "$SYSTEM_UNIT")" "$(dirname "$USER_UNIT")"
install -m 0644 "$HERE/wakeword.service" "$SYSTEM_UNIT"
install -m 0644 "$HERE/wakeword-user.service" "$USER_UNIT"
say "units: $SYSTEM_UNIT, $USER_UNIT"

# sd_booted(3): systemd is the running service manager only if this folder exists.
if [ -d /run/systemd/system ]; then
  systemctl daemon-reload
  if systemctl is-active --quiet wakeword; then
    systemctl restart wakeword
    say "restarted wakeword.service"
  else
    systemctl enable --now wakeword
    say "enabled and started wakeword.service (journalctl -u wakeword -f)"
  fi
else
  say "systemd is not running here: skipped systemctl (daemon-reload, enable --now wakeword)"
fi
say "let a user listen for wake words: usermod -aG $SERVICE_USER USER (socket /run/wakeword/events.sock)"
