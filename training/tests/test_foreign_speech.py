"""Foreign-speech negatives (HeadRecipe.foreign_hours): other languages' dictionary words, read by each language's own
espeak-ng voice, from Debian's hunspell dictionaries in the encoding their .aff names; never the wake word."""
import shutil

import numpy as np
import pytest

from training import head_data as hd

GREEK = ["καλημέρα", "θάλασσα", "ουρανός", "βιβλίο"]


def _dictionary(folder, name, words, encoding="UTF-8", extra=()):
    (folder / f"{name}.aff").write_bytes(f"SET {encoding}\nTRY abc\n".encode("ascii"))
    lines = [str(len(words) + len(extra))] + [f"{w}/AB" for w in words] + list(extra)
    (folder / f"{name}.dic").write_bytes("\n".join(lines).encode(encoding.lower().replace("iso", "iso-")))
    return str(folder / f"{name}.dic")


def test_a_dictionary_is_read_in_its_own_encoding_without_flags_abbreviations_or_the_word(tmp_path):
    dic = _dictionary(tmp_path, "el_GR", GREEK, "ISO8859-7", extra=["ΟΗΕ", "Αθήνα/X", "2024", "χ", "καλημέραjarvis"])
    assert hd.dictionary_words(dic, "jarvis") == sorted(GREEK + ["αθήνα"])
    assert "καλημέρα" not in hd.dictionary_words(dic, "καλημέρα")


def test_without_dictionaries_the_negatives_are_refused_naming_the_packages(tmp_path, monkeypatch):
    monkeypatch.setattr(hd, "HUNSPELL_DIR", str(tmp_path))
    with pytest.raises(ValueError, match="hunspell-es .*--foreign-hours"):
        hd.foreign_read_segments("jarvis", 0.01, 1, log=lambda *_: None)


def test_dictionaries_too_small_to_read_from_are_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr(hd, "HUNSPELL_DIR", str(tmp_path))
    _dictionary(tmp_path, "el_GR", GREEK, "ISO8859-7")
    with pytest.raises(ValueError, match=r"\(el\) hold fewer than 100 words"):
        hd.foreign_read_segments("jarvis", 0.01, 1, log=lambda *_: None)


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is a training dependency")
def test_each_installed_language_is_read_in_turn_until_the_hours_are_made(tmp_path, monkeypatch):
    monkeypatch.setattr(hd, "HUNSPELL_DIR", str(tmp_path))
    monkeypatch.setattr(hd, "FOREIGN_LANGUAGES", {"el": ("el_GR", "hunspell-el"), "es": ("es_ES", "hunspell-es"),
                                                  "fr": ("fr_FR", "hunspell-fr"), "it": ("it_IT", "hunspell-it")})
    _dictionary(tmp_path, "el_GR", GREEK * 30, "ISO8859-7")
    _dictionary(tmp_path, "es_ES", [f"palabra{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(150)])
    _dictionary(tmp_path, "it_IT", [f"parola{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(150)])
    # fr_FR is not installed; a dictionary of fewer than 100 words is not enough to read from.
    said = []
    monkeypatch.setattr(hd.tts, "espeak", lambda text, voice, *a: said.append(voice) or np.full(8000, 0.1, np.float32))
    monkeypatch.setattr(hd.tts, "pico_available", lambda: False)
    segs = hd.foreign_read_segments("jarvis", 2.0 / 3600, 1, log=lambda *_: None)
    # Greek's 120 entries are 4 different words, too few to read from; the others take turns.
    assert said == ["es", "it", "es", "it"] and len(segs) == 4
    assert sum(len(s) for s in segs) >= 2 * hd.SR


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is a training dependency")
def test_the_voices_speak_real_audio(tmp_path, monkeypatch):
    monkeypatch.setattr(hd, "HUNSPELL_DIR", str(tmp_path))
    monkeypatch.setattr(hd, "FOREIGN_LANGUAGES", {"es": ("es_ES", "hunspell-es")})
    _dictionary(tmp_path, "es_ES", [f"{a}{b}" for a in ("ca", "pe", "ma", "lo", "ti", "ru", "so", "ne", "fi", "da")
                 for b in ("sa", "rro", "to", "la", "bro", "no", "mo", "de", "pa", "va", "ja")])
    segs = hd.foreign_read_segments("jarvis", 1.0 / 3600, 1, log=lambda *_: None)
    audio = np.concatenate(segs)
    assert len(audio) >= hd.SR and np.sqrt(np.mean(audio.astype(np.float64) ** 2)) > 1e-3


def test_a_recipe_keys_its_data_alike_whether_hours_are_written_whole_or_as_decimals():
    # Cache keys hash the values' text: a script's HeadRecipe(foreign_hours=4) once keyed its foreign set apart from
    # the CLI's 4.0 and built it again.
    from training.head_train import HeadRecipe
    whole = HeadRecipe(foreign_hours=4, read_hours=6, scale=8, mine_at=(0.5, 0.7))
    decimal = HeadRecipe(foreign_hours=4.0, read_hours=6.0, scale=8.0, mine_at=(0.5, 0.7))
    assert whole == decimal
    assert hd.key_of("v1", whole.foreign_hours, whole.read_hours, whole.scale) == \
        hd.key_of("v1", 4.0, 6.0, 8.0)
    assert str(HeadRecipe(mine_at=(0.4, 0.7)).mine_at) == "(0.4, 0.7)"
    assert HeadRecipe(clips=24000).clips == 24000 and isinstance(HeadRecipe(clips=24000).clips, int)
    assert HeadRecipe(pico=True).pico is True
