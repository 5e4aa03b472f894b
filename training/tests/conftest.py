import os
import shutil
import subprocess

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


@pytest.fixture(scope="session")
def wakeword_cli(tmp_path_factory):
    """The real `wakeword` CLI (C# front ends + ONNX Runtime), built once per test session."""
    if shutil.which("dotnet") is None:
        pytest.skip("needs the .NET SDK to build the wakeword CLI (ONNX Runtime)")
    out = tmp_path_factory.mktemp("cli")
    b = subprocess.run(["dotnet", "build", os.path.join(ROOT, "src", "WakeWord.Cli"), "-c", "Release", "-o", str(out),
                        "-v", "q", "-nologo"], capture_output=True, text=True, timeout=600)
    assert b.returncode == 0, b.stdout[-3000:]
    return str(out / "wakeword")
