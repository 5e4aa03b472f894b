"""The evaluation's event logic on hand-made inputs: what counts as a hit, and the delay it reports."""
import numpy as np

from training.evaluate import HIT_AFTER_END_S, detect, hit_delays

SR = 16000


def test_delay_is_from_the_word_end_to_the_first_event_in_its_window():
    words = np.array([(1 * SR, 2 * SR), (4 * SR, 5 * SR), (8 * SR, 9 * SR)])
    # Before word 1 (a false accept, not a hit); two in word 1's window (the first counts); one late for word 2;
    # one while word 3 is still being said.
    events = np.array([0.5, 2.25, 2.5, 5.0 + HIT_AFTER_END_S + 0.1, 8.9])
    delays = hit_delays(events, words)
    assert np.allclose(delays, [0.25, -0.1])


def test_detect_fires_on_rising_edges_outside_the_refractory_time():
    probs = np.array([0.1, 0.7, 0.8, 0.2, 0.9, 0.1, 0.1, 0.1, 0.6])
    assert list(detect(probs, 0.5, refractory_steps=1)) == [1, 4, 8]
    assert list(detect(probs, 0.5, refractory_steps=4)) == [1, 8]
    assert list(detect(probs, 0.95, refractory_steps=1)) == []
