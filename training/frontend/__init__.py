"""Front ends: what turns audio into the steps a head scores. `speech_embedding` is Google's speech embedding (Apache-2.0)
as openWakeWord converted it to ONNX, re-implemented in torch from those weights (weights.py fetches and checks them),
exported by the project as one streaming ONNX graph that the C# runtime runs (export.py)."""
