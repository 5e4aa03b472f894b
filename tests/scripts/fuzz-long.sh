#!/usr/bin/env bash
# The long fuzz runs: every CsCheck property test (the fuzz targets) for SECONDS each (default 600), the five target
# classes side by side, then one line per class with its result. `dotnet test` itself replays them briefly (their
# iteration counts); a finding prints its seed, which becomes a regression case in the test (docs/performance.md).
# Usage: tests/scripts/fuzz-long.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-600}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "building (Release) ..." >&2
dotnet build WakeWord.sln -c Release -v q --nologo >/dev/null
targets=(
  "WakeWord.Audio.Tests:WavFileSourcePropertyTests"
  "WakeWord.Audio.Tests:StdinPcmSourcePropertyTests"
  "WakeWord.Onnx.Tests:OnnxModelLoaderPropertyTests"
  "WakeWord.Service.Tests:SettingsBinderPropertyTests"
  "WakeWord.Client.Tests:ProtocolCodecPropertyTests"
)
pids=()
for t in "${targets[@]}"; do
  project=${t%%:*}; class=${t#*:}
  echo "fuzzing $class for $seconds s per property ..." >&2
  WAKEWORD_FUZZ_SECONDS=$seconds dotnet test "tests/$project" -c Release --no-build \
    --filter "FullyQualifiedName~$class" >"$out/$class.log" 2>&1 &
  pids+=($!)
done
status=0
for i in "${!targets[@]}"; do
  class=${targets[$i]#*:}
  if wait "${pids[$i]}"; then r=ok; else r=FAILED; status=1; fi
  echo "$class: $r: $(grep -E '^(Passed|Failed)!' "$out/$class.log" | sed 's/ - .*//')"
  [[ $r == ok ]] || grep -E "Error Message|seed|Seed" -A4 "$out/$class.log" | head -40
done
exit $status
