#!/usr/bin/env bash
# The head recipe judged on one leave-one-word-out proxy word: trains seeds 1..3 from text alone (the word's crowd
# recordings are never heard), then scores each head, their mean (the ensemble) and, for alexa, openWakeWord's head on
# the embedded benchmark streams. Data is made and embedded once (seed-independent) and cached.
# Usage: training/scripts/proxy-heads.sh WORD [extra train options...]   (RUN_TAG=name to keep runs of another recipe apart)
set -euo pipefail
cd "$(dirname "$0")/../.."
word=$1; shift
tag=${RUN_TAG:-head}
slug=${word// /_}
runs=()
for seed in 1 2 3; do
  run=training/runs/$slug-$tag-s$seed
  runs+=("$run")
  # A finished seed (summary and model written) is kept: rerunning the script finishes only what is missing.
  [[ -f "$run/summary.json" && -f "$run.onnx" ]] && continue
  /usr/bin/python3 -m training train --word "$word" --seed "$seed" --run-dir "$run" --out "$run.onnx" "$@"
done
peer=()
[[ "$word" == alexa ]] && peer=(--peer alexa_v0.1)
/usr/bin/python3 -m training benchmark judge --word "$word" --run "${runs[@]}" "${peer[@]}" \
  --json "training/runs/$slug-$tag-judge.json" --plot "training/runs/$slug-$tag-det.png"
