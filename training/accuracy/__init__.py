"""The accuracy benchmark, which predicts real use: streams in the style of Picovoice's public wake-word benchmark,
scored with the real C# runtime (`wakeword detect`, the service's code path). docs/accuracy.md has the results.

- streams.py builds the streams. Positives: every real recording of the word (for the leave-one-word-out proxy words,
  the crowd recordings that training never hears; for `computer`, its recordings outside the train split), trimmed to
  the speech, each between 1-3 s of silence or real speech, over continuous real noise at 10 dB SNR (speech level
  against the noise in the same span); start and end of every keyword go to positives.csv. Negatives: real speech
  that training never reads (Debian packages, split by source from anything training uses), each clip at 20, 10 or
  5 dB SNR in turn over the same held-out noise; built once, shared by all words. The calibration stream is built the
  same way from other packages.
- scoring.py scores a model: a hit is an event between a keyword's start and 1 s after its end, every other event is
  a false accept (on the negative stream, and on the positive stream outside the hit windows). Miss rate at 0.5 and
  0.1 false accepts per hour is interpolated (log FA/h) from one threshold sweep; a DET plot is drawn.
- calibration.py picks a model's recommended threshold on the calibration stream, and tests whether a keyword's
  position in a long stream changes recall.
- pocketsphinx.py scores the peer, PocketSphinx keyword spotting, on the same streams.
"""
