"""The benchmark's scoring rules on hand-made events (no ../shared, no model)."""
import math

import pytest

from training.accuracy.scoring import HIT_AFTER_END_S, format_result, miss_at, score_events
from training.data import RealData


def test_hit_window_runs_from_keyword_start_to_one_second_after_its_end():
    keywords = [(10.0, 11.0), (20.0, 21.0), (30.0, 31.0)]
    events = [(0.5, 10.0), (0.5, 11.0 + HIT_AFTER_END_S), (0.5, 22.5), (0.5, 5.0)]  # hit, same hit, miss+FA, FA
    rows = score_events(events, [(0.5, 100.0), (0.9, 1.0)], keywords, [0.5], neg_hours=1.0, pos_hours=1.0)
    r = rows[0]
    assert r["miss_rate"] == pytest.approx(2 / 3)
    assert r["fa_negatives"] == 1  # only the 0.5 detector's event counts at 0.5
    assert r["fa_positive_stream"] == 2
    assert r["fa_per_hour"] == pytest.approx(3 / 2.0)
    assert r["delay_median_s"] == pytest.approx(-1.0)


def test_miss_at_interpolates_in_log_fa_and_says_when_the_sweep_never_gets_that_low():
    rows = [{"fa_per_hour": 1.0, "miss_rate": 0.2}, {"fa_per_hour": 0.01, "miss_rate": 0.6}]
    assert miss_at(rows, 0.1) == pytest.approx(0.4)
    assert miss_at(rows, 5.0) == pytest.approx(0.2)
    assert miss_at([{"fa_per_hour": 2.0, "miss_rate": 0.3}], 0.5) is None
    assert not math.isnan(miss_at(rows, 0.5))


def test_a_sweep_that_never_gets_that_low_reports_a_bound_from_below():
    # Fewer false accepts than the sweep reached take a stricter threshold, which can only miss more.
    rows = [{"fa_per_hour": 1.6, "miss_rate": 0.314}, {"fa_per_hour": 9.0, "miss_rate": 0.2}]
    res = {"miss_at_0.5": miss_at(rows, 0.5), "miss_at_0.1": miss_at(rows, 0.1), "rows": rows}
    assert format_result("pocketsphinx", res) == (
        "| pocketsphinx | >= 31.4% (lowest FA/h reached 1.60) | >= 31.4% (lowest FA/h reached 1.60) |")


def test_the_trained_words_own_recordings_are_never_negatives(tmp_path):
    import numpy as np
    import soundfile as sf
    for d in ["picovoice-wake-word-benchmark/jarvis", "picovoice-wake-word-benchmark/alexa",
              "mycroft-precise-community-data-prs/computer-en/pr17-test", "speech-commands/digits/one"]:
        (tmp_path / d).mkdir(parents=True)
        sf.write(tmp_path / d / "a.flac", np.zeros(1600, np.float32), 16000)
    def negs(word, mode="all"):
        r = RealData(str(tmp_path), word, mode)
        return sorted(p.split(str(tmp_path))[1].split("/")[-2] for v in r.negatives.values() for p in v)
    assert negs("jarvis") == ["alexa", "one", "pr17-test"]
    assert negs("jarvis", "no-crowd") == ["one", "pr17-test"]
    assert negs("jarvis", "none") == []
    assert negs("computer") == ["alexa", "jarvis", "one"]
    with pytest.raises(ValueError, match="real negatives 'some'"):
        RealData(str(tmp_path), "jarvis", "some")


def test_vtlp_warp_is_off_at_zero_and_moves_energy_along_the_mel_axis():
    import torch
    from training.augment import vtlp_warp
    feats = torch.zeros(4, 6, 40)
    feats[:, :, 20] = 1.0
    g = torch.Generator().manual_seed(0)
    assert torch.equal(vtlp_warp(feats, 0.0, g), feats)
    warped = vtlp_warp(feats, 0.3, g)
    assert warped.shape == feats.shape
    peaks = warped[:, 0].argmax(dim=1)
    assert len(set(peaks.tolist())) > 1  # clips got different warps


def test_benchmark_training_and_calibration_speech_are_split_by_source():
    import glob
    from training.accuracy.streams import CALIBRATION_SOURCES, NEGATIVE_SOURCES
    from training.data import TRAINING_SPEECH_SOURCES
    roles = {"benchmark": [g for globs in NEGATIVE_SOURCES.values() for g in globs],
             "calibration": [g for globs in CALIBRATION_SOURCES.values() for g in globs],
             "training": list(TRAINING_SPEECH_SOURCES.values())}
    roots = {role: [g.split("*")[0] for g in globs] for role, globs in roles.items()}
    files = {role: {p for g in globs for p in glob.glob(g, recursive=True)} for role, globs in roles.items()}
    names = sorted(roles)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            assert not files[a] & files[b], (a, b)
            for ra in roots[a]:
                for rb in roots[b]:
                    assert not ra.startswith(rb) and not rb.startswith(ra), (ra, rb)


def test_speech_backgrounds_put_talking_under_the_clip_and_keep_the_word_above_it():
    import numpy as np
    from training.bank import Bank
    from training.data import ClipMixer
    from training.features import FeatureSpec
    from training.model import ModelConfig
    from training.recipe import Recipe
    rng = np.random.default_rng(0)
    talk = [rng.standard_normal(8000).astype(np.float32) * 0.1 for _ in range(4)]
    bank = Bank(pos=[np.ones(4000, np.float32)], neg=[np.ones(4000, np.float32)], speech=talk)
    off = ClipMixer(bank, FeatureSpec(), ModelConfig(), 12, seed=3)
    on = ClipMixer(bank, FeatureSpec(), ModelConfig(), 12, seed=3, speech_backgrounds=1.0)
    bg, talking = on._background(np.random.default_rng(1))
    assert talking and len(bg) == on.samples
    # Talking fills the clip: no stretch of a second without it, unlike a quiet-room background.
    frames = bg[: on.samples // 16000 * 16000].reshape(-1, 16000)
    assert np.all(np.std(frames, axis=1) > 0.3)
    assert not off._background(np.random.default_rng(1))[1]
    with pytest.raises(ValueError, match="speech backgrounds"):
        Recipe(speech_backgrounds=1.5)
    with pytest.raises(ValueError, match="need real speech"):
        ClipMixer(Bank(pos=bank.pos, neg=bank.neg), FeatureSpec(), ModelConfig(), 12, seed=3, speech_backgrounds=0.3)


def test_position_change_is_paired_and_says_when_it_is_beyond_sampling_error():
    import numpy as np
    from training.accuracy.calibration import paired_recall_change
    from training.accuracy.scoring import keyword_hits
    fresh = np.array([True] * 90 + [False] * 10)
    same = paired_recall_change(fresh, fresh.copy())
    assert same["change"] == 0 and same["equal_within_sampling_error"]
    late = fresh.copy()
    late[:30] = False  # 30 keywords lost after the lead, none gained: far beyond chance
    worse = paired_recall_change(fresh, late)
    assert worse["lost"] == 30 and worse["gained"] == 0
    assert worse["change"] == pytest.approx(-0.3)
    assert not worse["equal_within_sampling_error"]
    swap = late.copy()
    swap[90:93] = True  # one lost, one gained each way is noise
    mixed = paired_recall_change(np.r_[fresh[:1], fresh[90:91]], np.r_[late[:1], swap[90:91]])
    assert mixed["equal_within_sampling_error"]
    hit, in_window, delays = keyword_hits(np.array([10.5, 30.0]), [(10.0, 11.0), (20.0, 21.0)])
    assert hit.tolist() == [True, False] and in_window.tolist() == [True, False] and delays == [-0.5]


def test_several_streams_scored_in_one_call_give_each_stream_its_own_events(wakeword_cli):
    """The benchmark scores its streams in one `wakeword detect` call (in parallel on one loaded model): each stream's
    events are those it gets alone, told apart by the input each line names."""
    import os
    from training.accuracy.scoring import run_detector, run_detector_many
    audio = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "audio")
    model = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "models", "tiny.onnx")
    wavs = [os.path.join(audio, f) for f in ("computer_real_1.wav", "negatives_long.wav", "computer_real_2.wav")]
    thresholds = [0.3, 0.5]
    together = run_detector_many(wakeword_cli, model, wavs, thresholds)
    alone = [run_detector(wakeword_cli, model, w, thresholds) for w in wavs]
    assert together == alone
    assert sum(len(e) for e in together) > 0  # tiny.onnx fires at 0.3 on these words: the comparison is not of nothing
    assert together[0] != together[1]


def test_a_negative_stream_missing_one_of_its_packages_is_refused_by_name(tmp_path):
    """Built from some of its packages the stream is another benchmark (9.35 h instead of 13.44 h without the fillets
    language packs), whose figures compare with no earlier ones: the build names what to install instead."""
    import shutil
    from training.accuracy import streams
    if shutil.which("dpkg-query") is None:
        pytest.skip("needs dpkg to ask which packages are installed")
    import numpy as np
    import soundfile as sf
    assert streams.missing_packages(["no-such-package-wakeword"]) == ["no-such-package-wakeword"]
    sf.write(tmp_path / "talk.wav", np.zeros(16000, np.float32), 16000)  # a source that is there: only the package is not
    with pytest.raises(FileNotFoundError, match="apt-get install no-such-package-wakeword$"):
        streams.build_negatives(str(tmp_path), streams.STREAM_WORDS, str(tmp_path / "out"),
                                sources={"talk": [str(tmp_path / "*.wav")]}, packages=["no-such-package-wakeword"])
    assert not (tmp_path / "out").exists()
