"""Writing an ONNX file the runtime will load: exported from a torch module, the metadata set, checked, and renamed
into place, so a failed export never leaves a partial file. Every model, head and front end is written here."""
from __future__ import annotations

import os
import tempfile

import onnx
import torch

OPSET = 17


def export_atomic(module: torch.nn.Module, args: tuple, path: str, input_names: list[str], output_names: list[str],
                  dynamic_axes: dict, metadata: dict[str, str]) -> None:
    def write(tmp):
        with torch.no_grad():
            torch.onnx.export(module.eval(), args, tmp, opset_version=OPSET, input_names=input_names,
                              output_names=output_names, dynamic_axes=dynamic_axes, do_constant_folding=True)
        return onnx.load(tmp)
    _save_atomic(write, path, metadata)


def save_atomic(proto: onnx.ModelProto, path: str, metadata: dict[str, str]) -> None:
    """A graph built by hand (onnx.helper), with the same metadata, checks and atomic rename as an export."""
    _save_atomic(lambda tmp: proto, path, metadata)


def _save_atomic(build, path: str, metadata: dict[str, str]) -> None:
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".export-", suffix=".onnx", dir=directory)
    os.close(fd)
    try:
        proto = build(tmp)
        del proto.metadata_props[:]
        for k, v in sorted(metadata.items()):
            entry = proto.metadata_props.add()
            entry.key, entry.value = k, v
        # No producer version: the bytes then depend on the weights and the exporter only (the front end's hash).
        proto.producer_name = "wakeword-training"
        proto.producer_version = ""
        onnx.checker.check_model(proto)
        onnx.save(proto, tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
