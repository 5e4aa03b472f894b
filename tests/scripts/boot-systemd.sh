#!/usr/bin/env bash
# Boots a private systemd for the watchdog test: PID 1 of its own PID and mount namespaces, running only the units in
# DIR/units and starting DIR/units/wakeword-test.target. The machine's own init is untouched (CI has no systemd).
#
#   tests/scripts/boot-systemd.sh DIR           boot; prints SYSTEMD_PID=<pid as seen from here> once it is running
#   tests/scripts/boot-systemd.sh --stop DIR    kill it (and everything it started) and remove the cgroups it made
#   tests/scripts/boot-systemd.sh --can-boot    exit 0 when this machine can run it (root, unshare, systemd, cgroup2)
#
# Talk to it with: nsenter -t <pid> -m -p systemctl ...   Its own log (what it did to the units) goes to DIR/systemd.log.
#
# Inside the namespaces, before systemd starts: /run is a fresh tmpfs (the units go to /run/systemd/system); the
# tmpfiles.d folders are empty tmpfs and systemd-tmpfiles is masked, because a booting systemd otherwise runs
# `systemd-tmpfiles --remove --boot`, and the host's /tmp is the same file system: it would wipe every file in it;
# systemd gets a cgroup of its own (a new one under the host's unified hierarchy, made the root of a cgroup namespace):
# its slices, and the BPF programs a unit's IPAddressDeny= attaches, live under it and go with it. Without that, two
# runs at once (two worktrees) shared /system.slice/wakeword-test.service, and a cgroup left behind kept its BPF
# firewall for the next run's service of the same name. /sys/fs/cgroup is a fresh cgroup2 mount of that namespace, so
# systemd manages the unified hierarchy only and leaves the host's v1
# controllers (memory accounting included) alone; /dev/kmsg is DIR/systemd.log, where PID 1 writes its log
# (as a console, a plain file is refused).
# The units must say DefaultDependencies=no: nothing of sysinit.target is wanted.
set -euo pipefail

systemd_bin=/lib/systemd/systemd

if [[ "${1:-}" == "--can-boot" ]]; then
    [[ $EUID -eq 0 && -x $systemd_bin ]] && command -v unshare >/dev/null && command -v nsenter >/dev/null \
        && grep -qw cgroup2 /proc/filesystems \
        && unshare --cgroup --pid --fork --mount --propagation private --mount-proc true 2>/dev/null
    exit $?
fi

if [[ "${1:-}" == "--inner" ]]; then
    dir="$2"
    mount -t tmpfs -o mode=755 tmpfs /run
    for d in /usr/lib/tmpfiles.d /etc/tmpfiles.d; do
        if [[ -d $d ]]; then mount -t tmpfs -o mode=755 tmpfs "$d"; fi
    done
    mkdir -p /run/systemd/system
    for unit in systemd-tmpfiles-setup.service systemd-tmpfiles-setup-dev.service \
        systemd-tmpfiles-setup-dev-early.service systemd-tmpfiles-clean.service systemd-tmpfiles-clean.timer; do
        ln -s /dev/null "/run/systemd/system/$unit"
    done
    cp -r "$dir"/units/* /run/systemd/system/ # drop-in folders (NAME.service.d/) too
    umount -R /sys/fs/cgroup 2>/dev/null || true
    mount -t cgroup2 cgroup2 /sys/fs/cgroup
    mount --bind "$dir/systemd.log" /dev/kmsg
    exec env -i container=wakeword-test PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        "$systemd_bin" --system --unit=wakeword-test.target --log-target=kmsg --log-level=info --show-status=no
fi

# The unified hierarchy as the host mounts it (hybrid: under unified/).
unified_root() {
    if [[ -f /sys/fs/cgroup/unified/cgroup.procs ]]; then echo /sys/fs/cgroup/unified; else echo /sys/fs/cgroup; fi
}

if [[ "${1:-}" == "--stop" ]]; then
    dir="$2"
    if [[ -f "$dir/pid" ]]; then
        kill -KILL "$(cat "$dir/pid")" 2>/dev/null || true
    fi
    if [[ -f "$dir/unshare.pid" ]]; then
        # unshare exits once its child, the namespace's PID 1, is gone; then every process in the namespace is gone too.
        for _ in $(seq 1 200); do
            kill -0 "$(cat "$dir/unshare.pid")" 2>/dev/null || break
            sleep 0.05
        done
    fi
    if [[ -f "$dir/cgroup" ]]; then
        cg="$(cat "$dir/cgroup")"
        # Deepest first; a cgroup whose last process is still exiting is busy for a moment.
        for _ in $(seq 1 100); do
            [[ -d $cg ]] || break
            find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null || true
            sleep 0.05
        done
    fi
    exit 0
fi

dir="$1"
[[ -f "$dir/units/wakeword-test.target" ]] || { echo "boot-systemd: $dir/units/wakeword-test.target is missing" >&2; exit 2; }
: > "$dir/systemd.log"
cg="$(unified_root)/wakeword-test-$(basename "$dir")"
mkdir "$cg"
echo "$cg" > "$dir/cgroup"
# sh joins the new cgroup, then becomes unshare (same pid): the namespace's cgroup root is that cgroup.
setsid sh -c 'echo $$ > "$1/cgroup.procs" && exec unshare --cgroup --pid --fork --mount --propagation private --mount-proc "$2" --inner "$3"' \
    sh "$cg" "$0" "$dir" </dev/null >>"$dir/systemd.log" 2>&1 &
echo $! > "$dir/unshare.pid"

for _ in $(seq 1 200); do
    pid="$(pgrep -P "$(cat "$dir/unshare.pid")" -x systemd || true)"
    if [[ -n $pid ]]; then
        echo "$pid" > "$dir/pid"
        state="$(nsenter -t "$pid" -m -p systemctl is-system-running 2>/dev/null || true)"
        if [[ $state == running || $state == degraded ]]; then
            echo "SYSTEMD_PID=$pid"
            exit 0
        fi
    fi
    sleep 0.05
done
echo "boot-systemd: systemd did not reach running in 10 s; its log:" >&2
cat "$dir/systemd.log" >&2
"$0" --stop "$dir"
exit 1
