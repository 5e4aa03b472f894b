"""The training recipe's switches, so that every change to it is one named field that the leave-one-word-out proxy
judges (training/accuracy/) and the model's training summary records. The defaults are the recipe the proxy
measured first (the "before" in docs/accuracy.md); a change becomes a default only after the proxy says so."""
from __future__ import annotations

import dataclasses


@dataclasses.dataclass(frozen=True)
class Recipe:
    # Real recordings used as negatives: "all", "no-crowd" (not the crowd-sourced benchmark words, whose speakers are
    # the proxy's test speakers) or "none" (see RealData.NEGATIVE_CHOICES).
    real_negatives: str = "all"
    # Vocal-tract-length perturbation: each clip's mel axis is warped by a factor drawn from [1/(1+v), 1+v]
    # (0: off). Independent of tempo, unlike the speed perturbation.
    vtlp: float = 0.0
    # Use SVOX Pico (pico2wave, six voices) next to espeak-ng, flite and festival when it is installed.
    pico: bool = False
    # Share of clips whose background is continuous real speech (training-only Debian voices, TRAINING_SPEECH_SOURCES,
    # and the real negatives run together with short gaps) over real noise, instead of noise alone (0: off). Real
    # use is mostly other people talking, which isolated negative utterances over noise do not show the model.
    speech_backgrounds: float = 0.0
    # Hard-negative mining (training/mining.py): at `mine_at` of the steps the model scores every negative utterance
    # training owns, in streams over noise; those it scores at least `mine_min_prob` (at most `mine_cap`, highest
    # first) become a pool from which this share of the negative utterances is drawn for the rest of training (0: off).
    hard_negatives: float = 0.0
    mine_at: float = 0.6
    mine_min_prob: float = 0.3
    mine_cap: int = 400
    # Partial-word negatives (Howl): this share of the negative utterances is the first part (35-65% of its length,
    # faded out) of a spoken wake word, labelled 0, so the model learns to wait for the whole word instead of firing
    # on speech that only starts like it ("Alex", "Alexander") (0: off).
    partial_negatives: float = 0.0
    # Max-pooling loss (training/losses.py): this share of the steps, at the end of the schedule, trains with the
    # max-pool loss instead of the held-ones loss (each word only needs its best step, from max_pool_lead_s before its
    # held ones to 1 s after its end, to fire); the steps before start it from the held-ones loss, as its authors advise
    # (0: off).
    max_pool: float = 0.0
    # Where the max-pool window opens, in seconds before the held ones (the word's end). 0: only steps that have heard
    # the end may be the one that fires (Hou et al.'s keyword-end constraint), so the model is not taught to fire on
    # the word's first half.
    max_pool_lead_s: float = 0.3
    # Which checkpoint is exported: "validation" (the best on the minutes of validation data, the first recipe's
    # choice) or "last" (the end of the schedule). Validation saturates early on these sets (recall 1.0 at 0 FA/h),
    # so its pick can be an early, worse model (docs/accuracy.md, alexa-sb).
    select: str = "validation"

    def __post_init__(self):
        if not 0.0 <= self.speech_backgrounds <= 1.0:
            raise ValueError(f"speech backgrounds {self.speech_backgrounds} must be a share between 0 and 1")
        if self.vtlp < 0:
            raise ValueError(f"vtlp {self.vtlp} must be 0 (off) or a positive warp such as 0.15")
        if not 0.0 <= self.hard_negatives <= 1.0:
            raise ValueError(f"hard negatives {self.hard_negatives} must be a share between 0 and 1")
        if not 0.0 <= self.mine_at < 1.0:
            raise ValueError(f"mine at {self.mine_at} must be a share of the steps, at least 0 and below 1")
        if not 0.0 < self.mine_min_prob < 1.0:
            raise ValueError(f"mining probability {self.mine_min_prob} must be between 0 and 1")
        if self.select not in ("validation", "last"):
            raise ValueError(f"select {self.select!r} must be 'validation' or 'last'")
        if not 0.0 <= self.partial_negatives <= 1.0:
            raise ValueError(f"partial negatives {self.partial_negatives} must be a share between 0 and 1")
        if not 0.0 <= self.max_pool_lead_s <= 1.0:
            raise ValueError(f"max pool lead {self.max_pool_lead_s} must be between 0 and 1 s")
        if not 0.0 <= self.max_pool <= 1.0:
            raise ValueError(f"max pool {self.max_pool} must be a share of the steps between 0 and 1")
        if self.mine_cap < 1:
            raise ValueError(f"mining cap {self.mine_cap} must be at least 1")

    def summary(self) -> dict:
        return dataclasses.asdict(self)
