# Where install.sh puts the service and uninstall.sh removes it from; sourced by both (and by ci-check.sh's checks).
# The units name the same paths (ExecStart=, WAKEWORD_CONFIG=): change them together.
PREFIX=/opt/wakeword
CONFIG_DIR=/etc/wakeword
SYSTEM_UNIT=/etc/systemd/system/wakeword.service
USER_UNIT=/etc/systemd/user/wakeword.service
SERVICE_USER=wakeword
# The folders systemd makes for the unit (StateDirectory=, LogsDirectory=, RuntimeDirectory=).
UNIT_DIRS=(/var/lib/wakeword /var/log/wakeword /run/wakeword)
