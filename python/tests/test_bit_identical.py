# The bridge changes nothing: the same seed and actions give the same observations, rewards,
# flags and masks, bit for bit, as the TypeScript env, for one env and for vector envs.
"""Bit-identity of edgegym.make / make_vec against TypeScript reference trajectories."""

from __future__ import annotations

import struct
import unittest
import warnings

import numpy as np

from helpers import SINGLE, VECTOR, f32, f64, reference, same_bits

import edgegym


def f64_bits(x: float) -> bytes:
    return struct.pack("<d", x)


class SingleEnvMatchesTypeScript(unittest.TestCase):
    def replay(self, name: str) -> None:
        spec = SINGLE[name]
        ref = reference("single", name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            env = edgegym.make(spec["id"], max_episode_steps=spec.get("maxEpisodeSteps"), **spec.get("kwargs", {}))
        try:
            self.assertEqual(env.observation_space.shape, (ref["obsDim"],))
            ends = 0
            for k, e in enumerate(ref["events"]):
                where = f"{spec['id']} event {k} ({e['kind']})"
                if e["kind"] == "reset":
                    obs, info = env.reset(seed=e["seed"])
                else:
                    obs, reward, terminated, truncated, info = env.step(e["action"])
                    self.assertEqual(f64_bits(reward), f64_bits(float(e["reward"])), where)
                    self.assertIsInstance(reward, float)
                    self.assertEqual((terminated, truncated), (e["terminated"], e["truncated"]), where)
                    ends += terminated or truncated
                self.assertTrue(same_bits(obs, f32(e["observation"])), f"{where}: {obs} != {e['observation']}")
                self.assertIn(obs, env.observation_space, where)
                if e["mask"] is None:
                    self.assertNotIn("action_mask", info, where)
                else:
                    mask = info["action_mask"]
                    self.assertEqual(mask.dtype, np.bool_, where)
                    self.assertTrue(np.array_equal(mask, np.array(e["mask"], dtype=bool)), where)
            self.assertGreater(ends, 0, "the reference run should cross an episode end")
        finally:
            env.close()

    def test_cartpole(self) -> None:
        self.replay("cartpole")

    def test_dispatch(self) -> None:
        self.replay("dispatch")

    def test_policy_select(self) -> None:
        self.replay("policy-select")

    def test_placement(self) -> None:
        self.replay("placement")


class VectorEnvMatchesTypeScript(unittest.TestCase):
    def replay(self, name: str) -> None:
        spec = VECTOR[name]
        ref = reference("vector", name)
        n, d = spec["numEnvs"], ref["obsDim"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            env = edgegym.make_vec(spec["id"], n, max_episode_steps=spec.get("maxEpisodeSteps"), **spec.get("kwargs", {}))
        try:
            self.assertEqual(env.observation_space.shape, (n, d))
            finished = 0
            for k, e in enumerate(ref["events"]):
                where = f"{spec['id']} × {n}, event {k} ({e['kind']})"
                if e["kind"] == "reset":
                    obs, infos = env.reset(seed=e["seed"])
                else:
                    obs, rewards, terminations, truncations, infos = env.step(np.array(e["actions"]))
                    self.assertTrue(same_bits(rewards, f64(e["rewards"])), where)
                    self.assertTrue(np.array_equal(terminations, np.array(e["terminations"], dtype=bool)), where)
                    self.assertTrue(np.array_equal(truncations, np.array(e["truncations"], dtype=bool)), where)
                    self.assertEqual(terminations.dtype, np.bool_)
                    done = terminations | truncations
                    if done.any():
                        finished += int(done.sum())
                        self.assertTrue(np.array_equal(infos["_final_obs"], done), where)
                        self.assertTrue(np.array_equal(infos["_final_info"], done), where)
                        for i in range(n):
                            if done[i]:
                                self.assertTrue(same_bits(infos["final_obs"][i], f32(e["finals"][str(i)])), f"{where}: final_obs[{i}]")
                            else:
                                self.assertIsNone(infos["final_obs"][i])
                    else:
                        self.assertNotIn("final_obs", infos, where)
                self.assertTrue(same_bits(obs, f32(e["observations"]).reshape(n, d)), where)
                if e["masks"] is None:
                    self.assertNotIn("action_mask", infos, where)
                else:
                    self.assertEqual(infos["action_mask"].shape, (n, len(e["masks"][0])))
                    self.assertTrue(np.array_equal(infos["action_mask"], np.array(e["masks"], dtype=bool)), where)
                    self.assertTrue(infos["_action_mask"].all())
            self.assertGreater(finished, 0, "the reference run should autoreset some sub-env")
        finally:
            env.close()

    def test_cartpole_native_vector(self) -> None:
        self.replay("cartpole")

    def test_dispatch_sync_vector(self) -> None:
        self.replay("dispatch")


if __name__ == "__main__":
    unittest.main()
