"""WakeWord model training: `python3 -m training --help` (see training/README.md)."""
