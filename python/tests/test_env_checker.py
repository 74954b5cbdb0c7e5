# Every registered env (ours and a user's) passes an env check from Python: Gymnasium's own
# check_env when gymnasium is importable, and always a numpy-only check of the same contract.
"""Env checks from Python on every registered env."""

from __future__ import annotations

import unittest
import warnings
from typing import Any

import numpy as np

from helpers import MASKED_ENV, same_bits

import edgegym
from edgegym import _gym

warnings.simplefilter("ignore")

REQUIRE = [str(MASKED_ENV)]
# Small kwargs so a check takes seconds; ids not listed here are checked with their defaults.
QUICK: dict[str, dict[str, Any]] = {
    "EdgeSched/Dispatch-v0": {"horizon": "5 s"},
    "EdgeSched/PolicySelect-v0": {"horizon": "30 s", "window": "5 s"},
    "EdgeSched/Placement-v0": {"maxApps": 6, "checkWindow": "1 s"},
}


def registered() -> list[str]:
    return edgegym.registered_envs(require=REQUIRE)


def masked_action(env: Any, info: dict[str, Any]) -> Any:
    mask = info.get("action_mask")
    if mask is None or not hasattr(env.action_space, "n"):
        return env.action_space.sample()
    return env.action_space.sample(mask=mask.astype(np.int8))


class ContractOnEveryRegisteredEnv(unittest.TestCase):
    """What gymnasium's check_env checks that matters here, in numpy alone."""

    def test_every_registered_env(self) -> None:
        ids = registered()
        self.assertTrue({"CartPole-v1", "EdgeSched/Dispatch-v0", "EdgeSched/PolicySelect-v0", "EdgeSched/Placement-v0", "Test/Masked-v0"} <= set(ids), ids)
        for env_id in ids:
            with self.subTest(env=env_id):
                self.check(env_id)

    def check(self, env_id: str) -> None:
        env = edgegym.make(env_id, require=REQUIRE, **QUICK.get(env_id, {}))
        try:
            obs, info = env.reset(seed=42)
            self.assertIsInstance(info, dict)
            self.assertIsInstance(obs, np.ndarray)
            self.assertEqual(obs.dtype, env.observation_space.dtype)
            self.assertIn(obs, env.observation_space)
            again, _ = env.reset(seed=42)
            self.assertTrue(same_bits(obs, again), "reset with the same seed gives the same observation")
            env.action_space.seed(42)
            trace = []
            for _ in range(6):
                obs, reward, terminated, truncated, info = env.step(masked_action(env, info))
                self.assertIn(obs, env.observation_space)
                self.assertIsInstance(reward, float)
                self.assertIsInstance(terminated, (bool, np.bool_))
                self.assertIsInstance(truncated, (bool, np.bool_))
                self.assertIsInstance(info, dict)
                if "action_mask" in info:
                    self.assertEqual(info["action_mask"].dtype, np.bool_)
                trace.append(reward)
                if terminated or truncated:
                    obs, info = env.reset()
            env.reset(seed=42)
            env.action_space.seed(42)
            _, info = env.reset(seed=42)
            replay = []
            for _ in range(6):
                _, reward, terminated, truncated, info = env.step(masked_action(env, info))
                replay.append(reward)
                if terminated or truncated:
                    _, info = env.reset()
            self.assertEqual(trace, replay, "the same seed and actions give the same rewards")
        finally:
            env.close()


class GymnasiumCheckEnv(unittest.TestCase):
    def test_gymnasium_check_env_on_every_registered_env(self) -> None:
        if not _gym.HAVE_GYMNASIUM:
            self.skipTest("gymnasium is not installed, so gymnasium.utils.env_checker.check_env was not run (the numpy-only contract check above was)")
        from gymnasium.utils.env_checker import check_env

        for env_id in registered():
            with self.subTest(env=env_id):
                env = edgegym.make(env_id, require=REQUIRE, **QUICK.get(env_id, {}))
                try:
                    check_env(env, skip_render_check=True)
                finally:
                    env.close()


if __name__ == "__main__":
    unittest.main()
