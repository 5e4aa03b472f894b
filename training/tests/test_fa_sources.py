"""training/scripts/fa-sources.py: each false accept on the negative stream is named by the recording it fell in,
highest peak first, and counted by the benchmark source the recording came from."""
import importlib.util
import os

import numpy as np

from training import head_judge as hj

spec = importlib.util.spec_from_file_location(
    "fa_sources", os.path.join(os.path.dirname(__file__), "..", "scripts", "fa-sources.py"))
fa = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fa)


def test_each_false_accept_is_named_by_its_recording_highest_first():
    probs = np.zeros(1000, np.float32)
    probs[100:104] = [0.6, 0.7, 0.65, 0.2]  # in the first recording (0-20 s)
    probs[600:602] = [0.55, 0.97]           # in the third (40 s on)
    starts, files = [0.0, 20.0, 40.0], ["/usr/share/tuxpaint/a_desc_es.ogg", "/usr/share/klettres/b.ogg",
                                          "/usr/share/games/fillets-ng/c.ogg"]
    found = fa.false_accept_sources(probs, starts, files, 0.5, top=10)
    assert [f for *_, f in found] == [files[2], files[0]]
    assert [round(p, 2) for p, *_ in found] == [0.97, 0.7]
    assert all(abs(t - float(hj.se.step_available_sample(j)) / hj.se.SAMPLE_RATE) < 1e-9
               for (_, t, _), j in zip(found, (600, 100)))
    assert fa.false_accept_sources(probs, starts, files, 0.5, top=1) == found[:1]
    assert fa.false_accept_sources(probs, starts, files, 0.99, top=10) == []


def test_the_peak_is_taken_from_five_steps_before_the_event_to_twenty_after():
    # A rise swallowed by the refractory time 5 steps before the next event counts for that event's peak; one 6
    # steps before does not.
    refr = hj.detector.refractory_steps(hj.detector.DEFAULT_REFRACTORY_S, hj.STEP_S)
    for back, peak in ((5, 0.99), (6, 0.6)):
        probs = np.zeros(400, np.float32)
        j = 100 + refr
        probs[100] = 0.6
        probs[j - back] = 0.99
        probs[j] = 0.6
        found = fa.false_accept_sources(probs, [0.0], ["a.ogg"], 0.5, top=10)
        assert len(found) == 2
        t = float(hj.se.step_available_sample(j)) / hj.se.SAMPLE_RATE
        assert [round(p, 2) for p, tt, _ in found if abs(tt - t) < 1e-9] == [peak]


def test_false_accepts_are_counted_by_the_benchmark_source_that_holds_them():
    from training.accuracy.streams import CALIBRATION_SOURCES, source_of
    assert source_of("/usr/share/tuxpaint/stamps/animals/fish/bluegroper_desc_el.ogg") == "tuxpaint"
    assert source_of("/usr/share/games/fillets-ng/sound/engine/cs/mot-m-akce1.ogg") == "fillets-ng"
    assert source_of("/usr/share/asterisk/sounds/fr_CA_f_June/phonetic/c_p.wav") == "asterisk"
    assert source_of("/usr/share/asterisk/sounds/fr/vm-intro.gsm") is None  # calibration's, not the benchmark's
    assert source_of("/usr/share/asterisk/sounds/fr/vm-intro.gsm", CALIBRATION_SOURCES) == "asterisk-prompts"
    assert source_of("clips/z.wav") is None


def test_false_accepts_are_counted_by_package_and_language():
    assert fa.package("/usr/share/tuxpaint/stamps/food/yam_desc_es.ogg") == "tuxpaint"
    assert fa.package("/usr/share/games/fillets-ng/sound/engine/nl/mot-m-akce1.ogg") == "games/fillets-ng"
    assert fa.package("clips/z.wav") == "?"
    assert fa.language("/usr/share/tuxpaint/stamps/food/yam_desc_es.ogg") == "es"
    assert fa.language("/usr/share/games/fillets-ng/sound/engine/nl/mot-m-akce1.ogg") == "nl"
    assert fa.language("/usr/share/asterisk/sounds/es_MX_f_Allison/vm-intro.gsm") == "es"
    assert fa.language("/usr/share/klettres/data/en/alpha/n.ogg") == "en"
    assert fa.language("/usr/share/sounds/beep.ogg") == "?"


def test_a_rate_gives_the_judges_threshold_for_it():
    # The lowest threshold of the judge's sweep at or under the rate, both streams counted: false accepts peaking at
    # 0.61, 0.81 and 0.951 on one hour of negatives (with an hour of positives: 2 h in all), one keyword always hit.
    # Each rate is met first by the sweep's threshold above the peak it must drop.
    judge = object.__new__(hj.Judge)
    judge.keywords, judge.neg_hours, judge.pos_hours = [(1.0, 1.5)], 1.0, 1.0
    pos = np.zeros(1000, np.float32)
    pos[15] = 0.999
    neg = np.zeros(3000, np.float32)
    neg[[100, 1000, 2000]] = [0.61, 0.81, 0.951]
    above = lambda peak: min(t for t in scoring_thresholds() if t > peak)
    assert fa.threshold_for_rate(judge, pos, neg, 1.5) == scoring_thresholds()[0]
    assert fa.threshold_for_rate(judge, pos, neg, 1.0) == above(0.61)
    assert fa.threshold_for_rate(judge, pos, neg, 0.5) == above(0.81)
    assert fa.threshold_for_rate(judge, pos, neg, 0.1) == above(0.951)


def scoring_thresholds():
    from training.accuracy.scoring import THRESHOLDS
    return THRESHOLDS
