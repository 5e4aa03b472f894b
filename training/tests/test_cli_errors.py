"""Bad input to the training CLI: clear messages, exit code 2, and no model file left behind."""
import os
import subprocess
import sys

import pytest

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))


def run(*args, env=None):
    return subprocess.run([sys.executable, "-m", "training", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


def test_unknown_word_characters(tmp_path):
    out = tmp_path / "x.onnx"
    r = run("train", "--word", "comp$uter!", "--out", str(out))
    assert r.returncode == 2
    assert "wake word 'comp$uter!'" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_missing_tts_engine(tmp_path):
    out = tmp_path / "x.onnx"
    env = dict(os.environ, PATH=str(tmp_path))  # no espeak-ng, flite or text2wave on this PATH
    r = run("train", "--word", "computer", "--out", str(out), env=env)
    assert r.returncode == 2
    assert "speech synthesis engine(s) not found" in r.stderr and "espeak-ng" in r.stderr
    assert not out.exists()


def test_empty_data_folder(tmp_path):
    out = tmp_path / "x.onnx"
    (tmp_path / "empty").mkdir()
    r = run("train", "--word", "computer", "--smoke", "--steps", "1", "--data", str(tmp_path / "empty"), "--out", str(out),
            "--run-dir", str(tmp_path / "run"))
    assert r.returncode == 2
    assert "holds no .flac recordings" in r.stderr
    assert not out.exists()


def test_unwritable_output(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    out = blocker / "x.onnx"
    r = run("train", "--word", "computer", "--out", str(out))
    assert r.returncode == 2
    assert "cannot write the output model" in r.stderr
    assert not out.exists()


def test_no_partial_model_when_training_fails(tmp_path):
    out = tmp_path / "models" / "x.onnx"
    r = run("train", "--word", "computer", "--smoke", "--steps", "1", "--data", str(tmp_path / "missing"),
            "--out", str(out), "--run-dir", str(tmp_path / "run"))
    assert r.returncode == 2 and "does not exist" in r.stderr
    assert not out.exists()
    assert not list(tmp_path.rglob("*.onnx*")), "a partial or temporary model was left behind"


def test_threshold_written_only_into_a_wake_word_model(tmp_path):
    import onnx
    from onnx import TensorProto, helper
    from training.export import set_threshold
    graph = helper.make_graph([helper.make_node("Identity", ["x"], ["y"])], "not-a-wake-word-model",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1])])
    path = tmp_path / "plain.onnx"
    onnx.save(helper.make_model(graph), str(path))
    before = path.read_bytes()
    with pytest.raises(ValueError, match="no detector.threshold metadata") as ex:
        set_threshold(str(path), 0.8)
    assert str(path) in str(ex.value)
    assert path.read_bytes() == before and not (tmp_path / "plain.onnx.tmp").exists()

    proto = onnx.load(str(path))
    proto.metadata_props.add(key="detector.threshold", value="0.5600")
    onnx.save(proto, str(path))
    assert set_threshold(str(path), 0.8) == "0.5600"
    assert {p.key: p.value for p in onnx.load(str(path)).metadata_props}["detector.threshold"] == "0.8000"


@pytest.mark.parametrize("option, message", [
    (["--hidden", "-5"], "hidden -5 must be from 1 to 512"), (["--hidden", "0"], "hidden 0 must be from 1 to 512"),
    (["--hidden", "99999999"], "hidden 99999999 must be"), (["--window", "0"], "window 0 must be from 1 to 64"),
    (["--layers", "0"], "layers 0 must be from 1 to 4"), (["--layers", "9"], "layers 9 must be from 1 to 4"),
    (["--accents", "5"], "accents 5.0 must be a share"), (["--accents", "nan"], "accents nan must be a share"),
    (["--mine", "1.5"], "mine at [1.5] must be shares"), (["--mine-share", "0"], "mine share 0.0 must be"),
    (["--mine-keep", "0"], "mine keep 0 must be"), (["--clips", "0"], "clips 0 must be"),
    (["--silent-clips", "-1"], "silent clips -1 must be"), (["--follow-clips", "-5"], "follow-on clips -5 must be"),
    (["--pico-voices", "en-US,xx-YY"], "pico voices ['en-US', 'xx-YY'] must be one or more of en-US"),
    (["--pico-voices", ""], "pico voices [''] must be one or more of"),
    (["--stagger", "3"], "stagger 3 must be 0 (off) or from 2 to 8 copies that divide the window (20 steps)"),
    (["--window", "16", "--stagger", "5"],
     "stagger 5 must be 0 (off) or from 2 to 8 copies that divide the window (16 steps)"),
    (["--shifted-speech", "-1"], "shifted speech -1 must be a number of copies from 0 to 20"),
    (["--shifted-speech", "99"], "shifted speech 99 must be"),
    (["--shifted-speech", "2", "--no-real-speech"], "cannot go with --no-real-speech"),
    (["--neg-weight-max", "0.5"], "negative weight 0.5 must be"),
    (["--foreign-hours", "-1"], "foreign hours -1.0 must be from 0 to 1000"),
    (["--average-from", "1"], "average from 1.0 must be a share of the steps"),
    (["--average-from", "nan"], "average from nan must be"),
    (["--dropout", "1"], "dropout 1.0 must be a share from 0 to below 1"), (["--dropout", "nan"], "dropout nan must be"),
    (["--domain-adversary", "-0.1"], "domain weight -0.1 must be from 0 (off) to 10"),
    (["--domain-adversary", "1e9"], "domain weight 1000000000.0 must be"),
    (["--domain-adversary", "0.3", "--no-real-speech"], "cannot go with --no-real-speech"), (["--mine", "0.5", "--no-mine"], "contradict"),
])
def test_bad_head_option_stops_before_any_data_is_made(tmp_path, option, message):
    out, cache = tmp_path / "x.onnx", tmp_path / "cache"
    r = run("train", "--word", "zebra", "--no-real-data", "--out", str(out), "--run-dir", str(tmp_path / "run"),
            "--cache", str(cache), *option)
    assert r.returncode == 2, r.stderr
    assert message in r.stderr and "Traceback" not in r.stderr
    assert not out.exists() and not cache.exists()


def test_a_head_without_the_real_speech_negatives_installed_is_refused_by_name(monkeypatch):
    """On a fresh machine the Debian speech packages are missing: a head must not quietly train without them."""
    from training import head_data
    from training.head_train import HeadRecipe, negative_hours
    monkeypatch.setattr(head_data, "training_speech_paths", lambda word: [])
    with pytest.raises(ValueError, match="no training-only Debian speech is installed.*hedgewars-data.*--no-real-speech"):
        negative_hours("computer", None, HeadRecipe(), 1, None)


def test_a_head_without_english_text_to_read_is_refused_by_name(monkeypatch):
    """Without fortunes and WordNet installed there is nothing to read for the read-text negatives: say what to install
    (the message was "negatives read-text: no audio to make them from")."""
    from training import head_data
    monkeypatch.setattr(head_data, "TEXT_SOURCES", [])
    with pytest.raises(ValueError, match="no English text to read.*fortunes-min fortunes wordnet-base.*--read-hours 0"):
        head_data.tts_read_segments("computer", 0.01, 1)


def test_a_head_without_a_word_list_for_the_neighbours_is_refused_by_name(tmp_path):
    from training import head_data
    with pytest.raises(ValueError, match="no word list at .*missing-words.*apt-get install wamerican.*--no-neighbours"):
        head_data.phonetic_neighbours("computer", dictionary=str(tmp_path / "missing-words"))


def test_plot_without_matplotlib_is_refused_before_any_scoring(tmp_path):
    # A matplotlib that cannot be imported, first on the path: the hour of scoring must not start.
    (tmp_path / "shadow" / "matplotlib").mkdir(parents=True)
    (tmp_path / "shadow" / "matplotlib" / "__init__.py").write_text("raise ImportError('not installed')\n")
    env = dict(os.environ, PYTHONPATH=str(tmp_path / "shadow"))
    r = run("benchmark", "score", "--word", "computer", "--model", "models/computer.onnx", "--bench",
            str(tmp_path / "no-bench"), "--plot", str(tmp_path / "det.png"), env=env)
    assert r.returncode == 2, r.stderr
    assert "drawing needs matplotlib" in r.stderr and "Traceback" not in r.stderr
    assert "benchmark build" not in r.stderr  # refused before it looked for the streams


def test_scores_are_written_before_the_plot(tmp_path):
    from training.__main__ import _det_and_json
    rows = [{"threshold": 0.5, "fa_per_hour": 1.0, "miss_rate": 0.2}]
    bad_plot = tmp_path / "missing-folder" / "det.png"
    with pytest.raises((OSError, RuntimeError)):
        _det_and_json({"m": {"rows": rows}}, "computer", str(bad_plot), str(tmp_path / "scores.json"))
    assert (tmp_path / "scores.json").exists()
