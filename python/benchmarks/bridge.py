# Env steps per second through the bridge (Python client ↔ edgegym serve), printed as JSON rows;
# `edgegym speed --only bridge` runs it beside the same envs measured in TypeScript.
"""Usage: python3 python/benchmarks/bridge.py [--seconds 2] [--gymnasium]

Cases: CartPole-v1 (1 env, vector of 64) and EdgeSched/Dispatch-v0 (1, vector of 16), with
pre-drawn actions (allowed ones for Dispatch), so the figure is the env and the bridge, not the
sampler. --gymnasium adds Gymnasium's own CartPole (1 env, and its 64-wide numpy vector) when
gymnasium is importable.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Callable

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import edgegym  # noqa: E402

DISPATCH_KWARGS = {"horizon": "10 min"}


def server_cpu_seconds(env: Any) -> float:
    """CPU time (user + system) the env's server process has used so far; 0 for in-process envs."""
    served = getattr(env.unwrapped, "_served", None)
    if served is None or served.conn.process is None:
        return 0.0
    fields = Path(f"/proc/{served.conn.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(env: Any, name: str, seconds: float, steps_per_chunk: int, chunk: Callable[[], None]) -> dict[str, Any]:
    """Wall-clock steps/s, and steps per CPU-second of client and server together: on a machine
    shared with other work the second is the steadier figure (what an idle machine approaches)."""
    warm = time.perf_counter() + min(0.5, seconds / 4)
    while time.perf_counter() < warm:
        chunk()
    steps, start, cpu = 0, time.perf_counter(), time.process_time() + server_cpu_seconds(env)
    now = start
    while now - start < seconds:
        chunk()
        steps += steps_per_chunk
        now = time.perf_counter()
    cpu = time.process_time() + server_cpu_seconds(env) - cpu
    return {"name": name, "steps": steps, "seconds": now - start, "stepsPerSecond": steps / (now - start), "stepsPerCpuSecond": steps / cpu}


def single(env: Any, name: str, seconds: float, masked: bool) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    _, info = env.reset(seed=0)
    state = {"info": info}
    n = int(env.action_space.n)

    # Uniform draws up front: a uniformly random allowed action costs a flatnonzero, not a
    # Generator.choice (which would cost more than the step it feeds).
    uniforms = rng.random(4096).tolist()

    def chunk() -> None:
        info = state["info"]
        for k in range(200):
            allowed = np.flatnonzero(info["action_mask"])
            a = int(allowed[int(uniforms[k] * allowed.size)])
            _, _, terminated, truncated, info = env.step(a)
            if terminated or truncated:
                _, info = env.reset()
        state["info"] = info

    if not masked:
        # CartPole: actions drawn up front, as the TypeScript bench does.
        pool = rng.integers(0, n, size=4096).tolist()

        def chunk() -> None:  # noqa: F811
            for k in range(200):
                _, _, terminated, truncated, _ = env.step(pool[k])
                if terminated or truncated:
                    env.reset()

    try:
        return measure(env, name, seconds, 200, chunk)
    finally:
        env.close()


def vector(env: Any, name: str, seconds: float, masked: bool) -> dict[str, Any]:
    rng = np.random.default_rng(0)
    _, infos = env.reset(seed=0)
    n = env.num_envs
    pool = [rng.integers(0, 2, size=n) for _ in range(64)]
    state = {"infos": infos}

    def chunk() -> None:
        for k in range(20):
            if masked:
                # The first allowed action of each sub-env: cheap, valid, and varied by state.
                actions = state["infos"]["action_mask"].argmax(axis=1)
            else:
                actions = pool[k]
            _, _, _, _, state["infos"] = env.step(actions)

    try:
        return measure(env, name, seconds, 20 * n, chunk)
    finally:
        env.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--gymnasium", action="store_true")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    s = args.seconds
    rows = [
        single(edgegym.make("CartPole-v1"), "CartPole-v1, 1 env (bridge)", s, False),
        vector(edgegym.make_vec("CartPole-v1", 64), "CartPole-v1, vector of 64 (bridge)", s, False),
        single(edgegym.make("EdgeSched/Dispatch-v0", **DISPATCH_KWARGS), "EdgeSched/Dispatch-v0, 1 env (bridge)", s, True),
        vector(edgegym.make_vec("EdgeSched/Dispatch-v0", 16, **DISPATCH_KWARGS), "EdgeSched/Dispatch-v0, vector of 16 (bridge)", s, True),
    ]
    if args.gymnasium:
        try:
            import gymnasium as gym
        except ImportError:
            print("gymnasium is not importable: its CartPole rows are left out", file=sys.stderr)
        else:
            rows.append(single(gym.make("CartPole-v1"), "CartPole-v1, 1 env (gymnasium)", s, False))
            rows.append(vector(gym.make_vec("CartPole-v1", 64, vectorization_mode="vector_entry_point"), "CartPole-v1, vector of 64 (gymnasium numpy)", s, False))
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
