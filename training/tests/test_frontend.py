"""The speech-embedding front end: the npm weights, the project's export of them, the streaming form against the
windowed form, and the C# runtime's golden (tests/data/golden/speech_embedding.json) replayed by the torch port."""
import json
import os

import numpy as np
import pytest
import soundfile as sf
import torch

from training.frontend import export, weights
from training.frontend import speech_embedding as se

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
# Embeddings lie within about +-70; ONNX Runtime (C#) and torch agree to about 2e-5 on them.
GOLDEN_TOLERANCE = 1e-3


@pytest.fixture(scope="module")
def fe():
    return se.SpeechEmbedding.from_npm()


def speech():
    a, rate = sf.read(os.path.join(ROOT, "tests", "data", "audio", "computer_real_1.wav"), dtype="float32")
    assert rate == se.SAMPLE_RATE
    return a


def test_weights_are_the_pinned_ones():
    for name, path in weights.paths().items():
        assert weights.sha256_of(path) == weights.SHA256[name]


def test_the_shipped_front_end_is_the_projects_own_export(tmp_path, fe):
    out = tmp_path / "speech_embedding.onnx"
    digest = export.export(str(out), fe, log=lambda *_: None)
    assert digest == weights.sha256_of(export.DEFAULT_PATH)


def test_streaming_equals_the_windowed_network_after_the_warmup(fe):
    a = speech()
    emb = fe.embed_clips(torch.from_numpy(a[None]))[0]
    with torch.no_grad():
        mel = fe.mel(torch.cat([torch.zeros(1, se.CARRY), torch.from_numpy(a[None, : emb.shape[0] * se.SAMPLES_PER_STEP])], 1))[0]
        ends = [8 * j + 8 for j in range(se.WARMUP_STEPS, emb.shape[0])]
        windows = torch.stack([mel[e - se.WINDOW_FRAMES:e] for e in ends])
        windowed = fe.embed.windowed(windows)
    assert torch.max(torch.abs(windowed - emb[se.WARMUP_STEPS:])).item() < 1e-3


def test_calls_of_any_whole_steps_give_what_one_call_gives(fe):
    a = torch.from_numpy(speech()[None])
    once = fe.embed_clips(a)[0]
    state, out, pos = fe.zero_state(1), [], 0
    with torch.no_grad():
        for k in [1, 3, 2, 7, 1, 100]:
            n = min(k * se.SAMPLES_PER_STEP, (a.shape[1] - pos) // se.SAMPLES_PER_STEP * se.SAMPLES_PER_STEP)
            if n == 0:
                break
            e, state = fe(a[:, pos:pos + n], state)
            out.append(e[0])
            pos += n
    assert torch.max(torch.abs(torch.cat(out) - once)).item() < 1e-4


def test_a_mel_frame_depends_on_its_own_samples_only(fe):
    a = speech()[: 20 * se.SAMPLES_PER_STEP].copy()
    x = torch.from_numpy(np.concatenate([np.zeros(se.CARRY, np.float32), a])[None])
    with torch.no_grad():
        before = fe.mel(x)[0]
        x2 = x.clone()
        x2[0, -se.SAMPLES_PER_STEP:] *= 100.0  # a much louder last step
        after = fe.mel(x2)[0]
    untouched = (x.shape[1] - se.SAMPLES_PER_STEP - se.FRAME) // se.HOP + 1  # frames that end before the change
    assert torch.equal(before[:untouched], after[:untouched])
    assert not torch.equal(before[-1], after[-1])


def test_the_csharp_runtime_golden_is_replayed(fe):
    with open(os.path.join(ROOT, "tests", "data", "golden", "speech_embedding.json")) as f:
        golden = json.load(f)
    assert golden["frontend_sha256"] == weights.sha256_of(export.DEFAULT_PATH)
    expected = np.array(golden["embeddings"], np.float32).reshape(-1, golden["embedding_dim"])
    got = fe.embed_clips(torch.from_numpy(speech()[None]))[0].numpy()
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) < GOLDEN_TOLERANCE


def test_digital_silence_sits_at_the_power_floor_just_under_the_quietest_16bit_noise(fe):
    # A synthesizer's WAV file has exact zeros around its words. They must read as a little quieter than any
    # microphone (so that heads trained over noise hear a word between them), and the floor must stay under every
    # frame of real 16-bit audio: noise of half an LSB, rounded to int16, is the quietest a microphone gives.
    rng = np.random.default_rng(3)
    zeros = np.zeros(se.CARRY + 4 * se.SAMPLES_PER_STEP, np.float32)
    quietest = np.round(rng.normal(0, 0.5, len(zeros))).astype(np.float32) / 32768.0
    with torch.no_grad():
        silence = fe.mel(torch.from_numpy(zeros)[None])[0]
        noise = fe.mel(torch.from_numpy(quietest)[None])[0]
    floor = np.log10(se.POWER_FLOOR) + 2.0
    assert torch.allclose(silence, torch.full_like(silence, floor))
    assert floor > -2.0, "digital silence far below a microphone's floor: heads trained over noise go deaf between zeros"
    assert noise.min().item() > floor, "the floor would change frames of real 16-bit audio"


def test_rebind_stamps_a_heads_front_end_hash_and_leaves_its_graph(tmp_path):
    import onnx
    import shutil
    head = tmp_path / "head.onnx"
    shutil.copy(os.path.join(ROOT, "tests", "data", "models", "tiny_head.onnx"), head)
    other = tmp_path / "other_frontend.onnx"
    other.write_bytes(b"another front end")
    before = onnx.load(str(head))
    digest = export.rebind(str(head), str(other), log=lambda *_: None)
    after = onnx.load(str(head))
    meta = {p.key: p.value for p in after.metadata_props}
    assert digest == weights.sha256_of(str(other)) == meta["frontend.sha256"]
    assert after.graph == before.graph
    assert {k: v for k, v in meta.items() if k != "frontend.sha256"} == \
        {p.key: p.value for p in before.metadata_props if p.key != "frontend.sha256"}
    with pytest.raises(ValueError, match="not a head on a front end"):
        export.rebind(export.DEFAULT_PATH, str(other), log=lambda *_: None)
