"""What the bench scripts share: the repository root and publishing a project's Release build."""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def publish(project: str, out: str) -> str:
    print(f"publishing {project} (Release) ...", file=sys.stderr, flush=True)
    subprocess.run(["dotnet", "publish", os.path.join(ROOT, "src", project), "-c", "Release", "-o", out],
                   check=True, stdout=subprocess.DEVNULL)
    return out
