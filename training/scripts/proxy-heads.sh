#!/usr/bin/env bash
# The head recipe judged on one leave-one-word-out proxy word: trains seeds 1..3 (SEEDS) from text alone (the word's crowd
# recordings are never heard), then scores each head, their mean (the ensemble) and, for alexa, openWakeWord's head on
# the embedded benchmark streams. Data is made and embedded once (seed-independent) and cached.
# Usage: training/scripts/proxy-heads.sh WORD [extra train options...]   (RUN_TAG=name to keep runs of another recipe apart;
#        SEEDS="4 5 6" for more seeds of a recipe already judged, into training/runs/WORD-TAG-s4... and WORD-TAG-s4-6-judge.json)
set -euo pipefail
cd "$(dirname "$0")/../.."
word=$1; shift
tag=${RUN_TAG:-head}
read -r -a seeds <<<"${SEEDS:-1 2 3}"
[[ ${#seeds[@]} -gt 0 ]] || { echo "proxy-heads.sh: SEEDS is empty" >&2; exit 2; }
for seed in "${seeds[@]}"; do
  [[ $seed =~ ^[0-9]+$ ]] || { echo "proxy-heads.sh: SEEDS holds $seed, not a whole number" >&2; exit 2; }
done
# Seeds 1-3 keep the judge's old file name; other seeds name theirs after the first and last.
judged=$tag; [[ "${seeds[*]}" == "1 2 3" ]] || judged=$tag-s${seeds[0]}-${seeds[-1]}
slug=${word// /_}
runs=()
for seed in "${seeds[@]}"; do
  run=training/runs/$slug-$tag-s$seed
  runs+=("$run")
  # A finished seed (summary and model written) is kept: rerunning the script finishes only what is missing.
  [[ -f "$run/summary.json" && -f "$run.onnx" ]] && continue
  /usr/bin/python3 -m training train --word "$word" --seed "$seed" --run-dir "$run" --out "$run.onnx" "$@"
done
peer=()
[[ "$word" == alexa ]] && peer=(--peer alexa_v0.1)
/usr/bin/python3 -m training benchmark judge --word "$word" --run "${runs[@]}" "${peer[@]}" \
  --json "training/runs/$slug-$judged-judge.json" --plot "training/runs/$slug-$judged-det.png"
