"""ONNX export (opset 13) with the manifest.json the app validates (src-main/cad/manifest.ts) and its SHA-256."""
import hashlib
import json
import os

import torch

from .common import Calibrated


def export_model(net, temperature, spec, manifest, out_dir):
    """Writes out_dir/model.onnx (logits / temperature, input [N, 1, H, W] with a dynamic batch) and manifest.json."""
    os.makedirs(out_dir, exist_ok=True)
    model = Calibrated(net, temperature).eval()
    h, w = spec["size"]
    path = os.path.join(out_dir, "model.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, h, w), path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "n"}, "logits": {0: "n"}}, opset_version=13, do_constant_folding=True)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    full = {**manifest, "file": "model.onnx", "sha256": digest, "input": {"name": "input", **spec},
            "output": {"name": "logits", "decoding": "classes", "activation": "softmax"}}
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(full, f, indent=2)
        f.write("\n")
    return full


def ci_text(m):
    return f"{m['mean']:.3f} (95 % CI {m['ci95'][0]:.3f} to {m['ci95'][1]:.3f})"
