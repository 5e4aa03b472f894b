"""The embedded clip cache: a larger --clips embeds only the clips a cached set does not already hold."""
import numpy as np
import pytest

from training import head_data as hd

SR = 16000


class CountingMixer:
    """Clip i is a tone of its own pitch with one word end; records which clips were mixed."""

    def __init__(self):
        self.mixed = []

    def mix(self, i):
        self.mixed.append(i)
        t = np.arange(10 * SR) / SR
        return (0.1 * np.sin(2 * np.pi * (200 + 50 * i) * t)).astype(np.float32), [SR + 1000 * i]


def test_a_larger_count_reuses_the_cached_clips_and_matches_a_fresh_build(tmp_path, monkeypatch):
    monkeypatch.setattr(hd, "CACHE_DIR", str(tmp_path / "reused"))
    cached = hd.build_clip_set(CountingMixer(), 0, 3, "k", log=lambda *_: None, chunk=2)
    grown_mixer = CountingMixer()
    grown = hd.build_clip_set(grown_mixer, 0, 5, "k", log=lambda *_: None, chunk=2)
    assert grown_mixer.mixed == [3, 4]
    np.testing.assert_array_equal(grown.emb[:3], cached.emb)

    monkeypatch.setattr(hd, "CACHE_DIR", str(tmp_path / "fresh"))
    fresh = hd.build_clip_set(CountingMixer(), 0, 5, "k", log=lambda *_: None, chunk=2)
    # The same clips; batches split differently change the last bit of a few float16 values, nothing more.
    np.testing.assert_allclose(grown.emb.astype(np.float32), fresh.emb.astype(np.float32), rtol=0, atol=1e-4)
    np.testing.assert_array_equal(grown.ends, fresh.ends)
    assert len(grown) == 5


def test_a_cached_set_of_another_key_or_start_is_not_reused(tmp_path, monkeypatch):
    monkeypatch.setattr(hd, "CACHE_DIR", str(tmp_path))
    hd.build_clip_set(CountingMixer(), 0, 2, "k", log=lambda *_: None)
    other_key, other_start = CountingMixer(), CountingMixer()
    hd.build_clip_set(other_key, 0, 3, "other", log=lambda *_: None)
    hd.build_clip_set(other_start, 1, 3, "k", log=lambda *_: None)
    assert other_key.mixed == [0, 1, 2]
    assert other_start.mixed == [1, 2, 3]


def test_a_killed_build_resumes_from_its_chunks_and_its_rate_counts_only_new_work(tmp_path):
    path = str(tmp_path / "items.npy")

    def killed(lo, hi):
        if lo >= 2:
            raise KeyboardInterrupt  # the session ends while the second chunk is being made
        return np.arange(lo, hi, dtype=np.float32)

    with pytest.raises(KeyboardInterrupt):
        hd._chunked(path, 6, 2, killed, lambda *_: None, "items")
    made, lines = [], []

    def make(lo, hi):
        made.append((lo, hi))
        return np.arange(lo, hi, dtype=np.float32)

    out = hd._chunked(path, 6, 2, make, lines.append, "items")
    assert made == [(2, 4), (4, 6)]
    np.testing.assert_array_equal(out, np.arange(6, dtype=np.float32))
    assert "items: 4/6" in lines[0] and "2 were on disk" in lines[0]
    assert not list(tmp_path.glob("*.part*"))
