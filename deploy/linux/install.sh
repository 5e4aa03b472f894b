#!/usr/bin/env bash
# Installs the WakeWord service on a systemd Linux machine, or upgrades an installed one.
#
#   sudo deploy/linux/install.sh                 # publishes src/WakeWord.Service (needs the .NET SDK)
#   sudo deploy/linux/install.sh --from DIR      # a folder made by `dotnet publish src/WakeWord.Service -o DIR`
#   deploy/linux/install.sh --dry-run [...]      # prints each step it would take and changes nothing (no root needed)
#   deploy/linux/install.sh --root DIR [...]     # installs every file under DIR (DESTDIR=DIR does the same), for a
#                                                # package or an image: no user, no systemctl (root not needed)
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
DRY_RUN=no
ROOT="${DESTDIR:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --from) [ $# -ge 2 ] && [ -n "$2" ] || die "--from needs a folder"; FROM="$2"; shift 2 ;;
    --root) [ $# -ge 2 ] && [ -n "$2" ] || die "--root needs a folder"; ROOT="$2"; shift 2 ;;
    --dry-run) DRY_RUN=yes; shift ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
done

if [ -n "$ROOT" ]; then
  [ -d "$ROOT" ] || die "--root '$ROOT' is not a folder"
  ROOT="$(cd "$ROOT" && pwd)"
  [ "$ROOT" != / ] || ROOT=""
fi
# Root is needed for the machine's own folders, the user and systemctl; not to print a plan or to fill a staging root.
[ "$DRY_RUN" = yes ] || [ -n "$ROOT" ] || [ "$(id -u)" = 0 ] || die "run as root (sudo $0), or see --dry-run and --root"

# Each step that changes something goes through run: executed, or with --dry-run only printed.
run() {
  if [ "$DRY_RUN" = yes ]; then
    printf 'install.sh: would run:'; printf ' %q' "$@"; printf '\n'
  else
    "$@"
  fi
}

# The installed layout, under the root when there is one.
P="$ROOT$PREFIX"
C="$ROOT$CONFIG_DIR"
SU="$ROOT$SYSTEM_UNIT"
UU="$ROOT$USER_UNIT"
[ "$DRY_RUN" = no ] || say "dry run: nothing is changed${ROOT:+; root $ROOT}"

if [ -z "$FROM" ]; then
  command -v dotnet >/dev/null || die "no --from folder and no dotnet SDK to publish with"
  if [ "$DRY_RUN" = yes ]; then
    say "would publish src/WakeWord.Service (dotnet publish -c Release) into a temporary folder"
    FROM="(published folder)"
  else
    STAGE="$(mktemp -d /tmp/wakeword-install.XXXXXX)"
    trap 'rm -rf "$STAGE"' EXIT
    say "publishing src/WakeWord.Service"
    dotnet publish "$REPO/src/WakeWord.Service" -c Release -o "$STAGE/publish" --nologo -v quiet >/dev/null
    FROM="$STAGE/publish"
  fi
else
  [ -x "$FROM/wakeword-service" ] || die "'$FROM' is not a published service folder (no executable wakeword-service in it)"
  [ -f "$FROM/appsettings.json" ] || die "'$FROM' has no appsettings.json"
fi

# The account: a system user that cannot log in, with its own group (the event socket's group) and audio.
if [ -n "$ROOT" ]; then
  say "root $ROOT: not creating the user; on the target: useradd --system --user-group --groups audio --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin $SERVICE_USER"
else
  getent group audio >/dev/null || { say "creating group audio"; run groupadd --system audio; }
  if ! getent passwd "$SERVICE_USER" >/dev/null; then
    say "creating system user $SERVICE_USER"
    run useradd --system --user-group --groups audio --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin --comment "WakeWord service" "$SERVICE_USER"
  else
    run usermod --append --groups audio "$SERVICE_USER"
  fi
fi

# Whether the installed settings are still the shipped ones, judged before the old program (which holds the shipped
# file it came with) is replaced: an unedited file follows the upgrade, an edited one stays.
config_edited=no
if [ -e "$C/appsettings.json" ] && ! cmp -s "$C/appsettings.json" "$P/appsettings.json" 2>/dev/null; then
  config_edited=yes
fi

# The program: copied aside, then swapped in, so that a failed copy leaves the old one in place. Owned by root:
# the service cannot change its own code or models.
say "installing the program in $P"
run install -d -m 0755 "$(dirname "$P")"
run rm -rf "$P.new"
run cp -R "$FROM" "$P.new"
# Under a root as a normal user (a package build) the packaging tool sets the owner.
if [ "$(id -u)" = 0 ]; then run chown -R root:root "$P.new"; fi
run chmod -R u=rwX,go=rX "$P.new"
run chmod 0755 "$P.new/wakeword-service"
run rm -rf "$P.old"
if [ -e "$P" ]; then run mv "$P" "$P.old"; fi
run mv "$P.new" "$P"
run rm -rf "$P.old"

# The settings: never overwrite what an administrator may have edited. (Taken from FROM, which is what $P holds now.)
run install -d -m 0755 "$C"
if [ "$config_edited" = yes ]; then
  run install -m 0644 "$FROM/appsettings.json" "$C/appsettings.json.dist"
  say "kept $C/appsettings.json; the new shipped settings are in $C/appsettings.json.dist"
else
  run install -m 0644 "$FROM/appsettings.json" "$C/appsettings.json"
  say "settings: $C/appsettings.json (edit it; the service reloads models and thresholds live)"
fi

run install -d -m 0755 "$(dirname "$SU")" "$(dirname "$UU")"
run install -m 0644 "$HERE/wakeword.service" "$SU"
run install -m 0644 "$HERE/wakeword-user.service" "$UU"
say "units: $SU, $UU"

# sd_booted(3): systemd is the running service manager only if this folder exists.
if [ -n "$ROOT" ]; then
  say "root $ROOT: skipped systemctl; on the target: systemctl daemon-reload && systemctl enable --now wakeword"
elif [ -d /run/systemd/system ]; then
  run systemctl daemon-reload
  if systemctl is-active --quiet wakeword; then
    run systemctl restart wakeword
    say "restarted wakeword.service"
  else
    run systemctl enable --now wakeword
    say "enabled and started wakeword.service (journalctl -u wakeword -f)"
  fi
else
  say "systemd is not running here: skipped systemctl (daemon-reload, enable --now wakeword)"
fi
say "let a user listen for wake words: usermod -aG $SERVICE_USER USER (socket /run/wakeword/events.sock)"
