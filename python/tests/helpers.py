# What the Python client's tests share: where the repository and node are, and the reference
# trajectories, computed once per run by a TypeScript script (test/python/trajectories.ts).
"""Test helpers: the repository root, and reference trajectories from TypeScript."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "python"))
NODE = shutil.which("node") or "node"
CLI = REPO / "dist" / "bin" / "edgegym.js"
MASKED_ENV = REPO / "dist" / "test" / "fixtures" / "masked-env.js"

# Small kwargs so each env's episodes end within a few hundred steps.
SINGLE = {
    "cartpole": {"id": "CartPole-v1", "seed": 1, "steps": 300, "maxEpisodeSteps": 30},
    "dispatch": {"id": "EdgeSched/Dispatch-v0", "kwargs": {"horizon": "2 s"}, "seed": 2, "steps": 250},
    "policy-select": {"id": "EdgeSched/PolicySelect-v0", "kwargs": {"horizon": "20 s", "window": "5 s"}, "seed": 3, "steps": 9},
    "placement": {"id": "EdgeSched/Placement-v0", "kwargs": {"maxApps": 8, "checkWindow": "1 s"}, "seed": 4, "steps": 30},
}
VECTOR = {
    "cartpole": {"id": "CartPole-v1", "seed": 5, "steps": 120, "numEnvs": 8, "maxEpisodeSteps": 25},
    "dispatch": {"id": "EdgeSched/Dispatch-v0", "kwargs": {"horizon": "1 s"}, "seed": 6, "steps": 90, "numEnvs": 3},
}

_cache: dict[str, Any] = {}


def reference(group: str, name: str) -> dict[str, Any]:
    """The TypeScript trajectory for SINGLE[name] or VECTOR[name] (all computed in one node run)."""
    if not _cache:
        requests = [*SINGLE.values(), *VECTOR.values()]
        keys = [("single", k) for k in SINGLE] + [("vector", k) for k in VECTOR]
        out = subprocess.run([NODE, str(REPO / "dist" / "test" / "python" / "trajectories.js"), json.dumps(requests)],
                             capture_output=True, timeout=300, check=True)
        for key, result in zip(keys, json.loads(out.stdout)):
            _cache[f"{key[0]}/{key[1]}"] = result
    return _cache[f"{group}/{name}"]


def f64(values: list[float | str]) -> np.ndarray:
    """Numbers from the reference JSON, where −0 is written "-0"."""
    return np.array([float(v) for v in values], dtype=np.float64)


def f32(values: list[float | str]) -> np.ndarray:
    return f64(values).astype(np.float32)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    """Equal bit for bit (so also NaN = NaN and −0 ≠ 0), same dtype and shape."""
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
