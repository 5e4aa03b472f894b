#!/usr/bin/env bash
# Builds SVOX Pico's pico2wave (Apache-2.0; the source ../shared/tts/picotts/pico, naggety/picotts @ 21089d2) with
# pico2wave-use-after-free.patch into PREFIX (default /usr/local). Use this instead of ../shared/tts/picotts/build.sh:
# unpatched, pico2wave reads the text to speak from memory popt (>= 1.19) has already freed, so it speaks garbage
# that changes from run to run (or nothing), and every Pico utterance in a training bank is junk.
# Needs: apt-get install autoconf automake libtool libpopt-dev
# Use: training/pico/build.sh [PREFIX] [PICO_SOURCE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
prefix=${1:-/usr/local}
src=${2:-$here/../../../shared/tts/picotts/pico}
[[ -d "$src" ]] || { echo "build.sh: no Pico source at $src (give it as the second argument)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/pico"
chmod -R u+w "$work/pico"
cd "$work/pico"
patch -p1 --forward <"$here/pico2wave-use-after-free.patch" >"$work/patch.log" || { cat "$work/patch.log"; exit 1; }
./autogen.sh >/dev/null 2>&1
./configure --prefix="$prefix" >"$work/configure.log" 2>&1 || { tail -20 "$work/configure.log"; exit 1; }
make -j"$(nproc)" >"$work/make.log" 2>&1 || { tail -20 "$work/make.log"; exit 1; }
make install >>"$work/make.log" 2>&1 || { tail -20 "$work/make.log"; exit 1; }
if [[ "$(id -u)" == 0 && "$prefix" == /usr/local ]]; then ldconfig; fi
echo "patched pico2wave installed in $prefix/bin"
