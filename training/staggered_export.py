"""A staggered head (HeadConfig.stagger) as the runtime calls it, built node by node: one embedding in, one
probability out, each GRU layer's state for every copy and a step counter carried as `state_NN` tensors (the
wakeword-head-v1 contract; models/README.md). The graph is written by hand because torch's export of the same step
has about 70 nodes, and at one call per 80 ms step ONNX Runtime's cost per node is most of a head's CPU: this one has
14 for a two-layer head. The copy rule (which copy is reset before a step, which one answers) is HeadConfig's, the
one training scores by; the graph holds it as tables indexed by the step counter."""
from __future__ import annotations

import numpy as np
import onnx
import torch
from onnx import TensorProto
from onnx import helper as oh
from onnx import numpy_helper as nh
from torch import nn

from .onnx_file import OPSET, save_atomic


def _onnx_gates(w: np.ndarray, hidden: int) -> np.ndarray:
    """torch orders a GRU's gates (reset, update, new); ONNX (update, reset, hidden)."""
    r, z, n = w[:hidden], w[hidden:2 * hidden], w[2 * hidden:]
    return np.concatenate([z, r, n])


def _layer_weights(gru: nn.GRU, layer: int, mean=None, std=None):
    """W, R, B of one layer in ONNX's layout; the first layer takes the input normalisation into its weights."""
    h = gru.hidden_size
    w_ih = getattr(gru, f"weight_ih_l{layer}").detach().double().numpy()
    b_ih = getattr(gru, f"bias_ih_l{layer}").detach().double().numpy()
    if mean is not None:
        # W (x - mean) / std + b = (W / std) x + (b - W (mean / std))
        b_ih = b_ih - w_ih @ (mean / std)
        w_ih = w_ih / std[None, :]
    w_hh = getattr(gru, f"weight_hh_l{layer}").detach().double().numpy()
    b_hh = getattr(gru, f"bias_hh_l{layer}").detach().double().numpy()
    f32 = np.float32
    return (_onnx_gates(w_ih, h)[None].astype(f32), _onnx_gates(w_hh, h)[None].astype(f32),
            np.concatenate([_onnx_gates(b_ih, h), _onnx_gates(b_hh, h)])[None].astype(f32))


def _packed_layer(heads: list[nn.Module], layer: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """W, R, B of one layer of every head as one GRU of len(heads) x hidden units: gate by gate, head k's units are
    rows k * hidden to (k + 1) * hidden, and each head's recurrent (and, past the first layer, input) weights lie on
    the diagonal, so that no head hears another's units. The first layer's input, the embedding, is every head's."""
    per = [_layer_weights(h.gru, layer, *((h.emb_mean.detach().double().numpy(), h.emb_std.detach().double().numpy())
                                          if layer == 0 else ())) for h in heads]
    k_count, h = len(heads), heads[0].cfg.gru_hidden
    units = k_count * h
    inputs = per[0][0].shape[2] if layer == 0 else units
    w = np.zeros((1, 3 * units, inputs), np.float32)
    r = np.zeros((1, 3 * units, units), np.float32)
    b = np.zeros((1, 6 * units), np.float32)
    for k, (wk, rk, bk) in enumerate(per):
        own = slice(k * h, (k + 1) * h)
        for g in range(3):
            at = g * units + k * h  # head k's units of gate g
            rows, src = slice(at, at + h), slice(g * h, (g + 1) * h)
            if layer == 0:
                w[0, rows] = wk[0, src]
            else:
                w[0, rows, own] = wk[0, src]
            r[0, rows, own] = rk[0, src]
            b[0, rows] = bk[0, src]  # the input biases, then (3 x units further on) the recurrent ones
            b[0, 3 * units + at:3 * units + at + h] = bk[0, 3 * h + g * h:3 * h + (g + 1) * h]
    return w, r, b


def staggered_graph(model: nn.Module) -> onnx.ModelProto:
    """The graph of a staggered head or ensemble (the mean of its heads' probabilities). An ensemble's heads are packed
    into one GRU node per layer (block-diagonal weights, exactly the heads' own arithmetic): per node ONNX Runtime's
    overhead is most of a small head's cost, so three 32-unit heads packed cost about what one 64-unit head does,
    and about two thirds of what they cost as separate nodes (docs/speed.md)."""
    cfg = model.cfg
    heads = list(model.heads) if hasattr(model, "heads") else [model]
    copies, window, dim = cfg.stagger, cfg.window, cfg.embedding_dim
    units = len(heads) * cfg.gru_hidden
    t = np.arange(window)  # the step counter runs modulo the window, and the rule repeats with it
    keep = (cfg.steps_since_reset(t) != 0).astype(np.float32)
    inits = [nh.from_array(keep.reshape(window, 1, copies, 1), "keep"),
             nh.from_array(cfg.answering_copy(t).astype(np.int64), "pick"),
             nh.from_array(((t + 1) % window).astype(np.float32).reshape(window, 1), "next_step"),
             nh.from_array(np.array([1, copies, dim], np.int64), "copies_shape")]
    counter = f"state_{cfg.gru_layers:02d}"
    nodes = [oh.make_node("Cast", [counter], ["step_i"], to=TensorProto.INT64),
             oh.make_node("Squeeze", ["step_i"], ["step"]),
             oh.make_node("Gather", ["keep", "step"], ["keep_now"]),
             oh.make_node("Gather", ["pick", "step"], ["pick_now"]),
             oh.make_node("Gather", ["next_step", "step"], [counter + "_out"]),
             oh.make_node("Expand", ["embeddings", "copies_shape"], ["x"])]
    states, x = [], "x"
    for layer in range(cfg.gru_layers):
        name, p = f"state_{layer:02d}", f"l{layer}"
        states.append(name)
        w, r, b = _packed_layer(heads, layer)
        inits += [nh.from_array(w, p + "_W"), nh.from_array(r, p + "_R"), nh.from_array(b, p + "_B")]
        nodes += [oh.make_node("Mul", [name, "keep_now"], [p + "_h0"]),
                  # Y_h [1, copies, units] is the next layer's input [1 step, copies, units] as it is.
                  oh.make_node("GRU", [x, p + "_W", p + "_R", p + "_B", "", p + "_h0"], ["", name + "_out"],
                               hidden_size=units, linear_before_reset=1)]
        x = name + "_out"
    # Each head's output unit reads its own block: logits [1, heads], then the mean of their probabilities.
    out_w = np.zeros((units, len(heads)), np.float32)
    for k, head in enumerate(heads):
        out_w[k * cfg.gru_hidden:(k + 1) * cfg.gru_hidden, k] = head.out.weight.detach().numpy()[0]
    out_b = np.array([float(head.out.bias) for head in heads], np.float32)
    inits += [nh.from_array(out_w, "out_W"), nh.from_array(out_b, "out_B")]
    nodes += [oh.make_node("Gather", [x, "pick_now"], ["top"], axis=1),
              oh.make_node("Gemm", ["top", "out_W", "out_B"], ["logits"]),
              oh.make_node("Sigmoid", ["logits"], ["head_probs"]),
              oh.make_node("ReduceMean", ["head_probs"], ["probs"], axes=[1], keepdims=1)]
    state_shape = [1, copies, units]
    inputs = [oh.make_tensor_value_info("embeddings", TensorProto.FLOAT, [1, 1, dim])]
    inputs += [oh.make_tensor_value_info(s, TensorProto.FLOAT, state_shape) for s in states]
    inputs.append(oh.make_tensor_value_info(counter, TensorProto.FLOAT, [1]))
    outputs = [oh.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 1])]
    outputs += [oh.make_tensor_value_info(s + "_out", TensorProto.FLOAT, state_shape) for s in states]
    outputs.append(oh.make_tensor_value_info(counter + "_out", TensorProto.FLOAT, [1]))
    graph = oh.make_graph(nodes, "staggered_head", inputs, outputs, inits)
    return oh.make_model(graph, opset_imports=[oh.make_opsetid("", OPSET)])


@torch.no_grad()
def export_staggered(model: nn.Module, path: str, metadata: dict[str, str]) -> None:
    save_atomic(staggered_graph(model.eval()), path, metadata)
