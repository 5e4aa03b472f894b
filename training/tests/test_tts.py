import shutil
import subprocess

import pytest

from training import tts


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")
def test_every_voice_the_accents_draw_from_speaks(tmp_path):
    # --accents draws from these; one that espeak-ng cannot find stopped a bank build at the utterance that drew it.
    voices = tts.espeak_all_voices()
    assert len(voices) > 50
    silent = []
    for v in voices:
        try:
            tts.espeak("a", v, "m1", 175, 50, str(tmp_path))
        except (subprocess.CalledProcessError, tts.TtsError):
            silent.append(v)
    assert silent == []
