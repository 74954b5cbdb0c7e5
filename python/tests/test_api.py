# The client reads like Gymnasium: spaces, info layout, seeding, a user's env loaded with
# `require`, a server reached over a loopback socket, and which base classes are in use.
"""The Gymnasium-shaped surface of edgegym.make and edgegym.make_vec."""

from __future__ import annotations

import subprocess
import unittest
import warnings

import numpy as np

from helpers import CLI, MASKED_ENV, NODE, same_bits

import edgegym
from edgegym import _gym

warnings.simplefilter("ignore")


class Spaces(unittest.TestCase):
    def test_cartpole_spaces_and_vector_batching(self) -> None:
        env = edgegym.make_vec("CartPole-v1", 3)
        try:
            self.assertEqual(env.num_envs, 3)
            self.assertEqual(env.single_observation_space.shape, (4,))
            self.assertEqual(env.single_observation_space.dtype, np.float32)
            self.assertEqual(int(env.single_action_space.n), 2)
            self.assertEqual(env.observation_space.shape, (3, 4))
            self.assertTrue(np.array_equal(env.action_space.nvec, [2, 2, 2]))
            self.assertEqual(env.metadata["autoreset_mode"], _gym.SAME_STEP)
            self.assertEqual(env.spec.id, "CartPole-v1")
            self.assertEqual(env.spec.max_episode_steps, 500)
            obs, infos = env.reset(seed=[7, None, 9])
            self.assertEqual(infos, {})
            self.assertIn(obs, env.observation_space)
            env.action_space.seed(0)
            obs, rewards, terminations, truncations, infos = env.step(env.action_space.sample())
            self.assertEqual((obs.dtype, rewards.dtype, terminations.dtype), (np.float32, np.float64, np.bool_))
        finally:
            env.close()
        self.assertTrue(env.closed)
        env.close()  # twice is harmless

    def test_dispatch_masks_and_discrete_sampling_with_them(self) -> None:
        env = edgegym.make("EdgeSched/Dispatch-v0", horizon="2 s")
        try:
            obs, info = env.reset(seed=1)
            self.assertEqual(obs.shape, env.observation_space.shape)
            mask = info["action_mask"]
            self.assertEqual((mask.dtype, mask.shape), (np.bool_, (int(env.action_space.n),)))
            self.assertIsInstance(info["simSeed"], int)
            env.action_space.seed(3)
            for _ in range(20):
                action = env.action_space.sample(mask=info["action_mask"].astype(np.int8))
                self.assertTrue(info["action_mask"][action])
                obs, reward, terminated, truncated, info = env.step(action)
                self.assertNotIn("invalidAction", info)
                self.assertTrue(np.array_equal(env.action_masks(), info["action_mask"]))
        finally:
            env.close()

    def test_same_seed_same_episode_and_unseeded_resets_continue(self) -> None:
        env = edgegym.make("CartPole-v1")
        try:
            a, _ = env.reset(seed=11)
            b, _ = env.reset()
            c, _ = env.reset(seed=11)
            self.assertTrue(same_bits(a, c))
            self.assertFalse(same_bits(a, b))
        finally:
            env.close()


class UserEnvs(unittest.TestCase):
    def test_require_registers_a_users_env_with_multidiscrete_masks(self) -> None:
        self.assertIn("Test/Masked-v0", edgegym.registered_envs(require=[str(MASKED_ENV)]))
        env = edgegym.make_vec("Test/Masked-v0", 2, require=[str(MASKED_ENV)], nvec=[3, 2], length=4)
        try:
            self.assertTrue(np.array_equal(env.single_action_space.nvec, [3, 2]))
            obs, infos = env.reset(seed=0)
            for _ in range(10):
                mask = infos["action_mask"]
                self.assertEqual(mask.shape, (2, 5))
                # The first allowed choice of each dimension (the fixture throws on masked ones).
                actions = np.stack([mask[:, :3].argmax(axis=1), mask[:, 3:].argmax(axis=1)], axis=1)
                obs, rewards, terminations, truncations, infos = env.step(actions)
                self.assertTrue(np.array_equal(obs, infos["action_mask"].astype(np.float32)))
                if terminations.any():
                    self.assertEqual(infos["final_info"]["action_mask"].shape, (2, 5))
        finally:
            env.close()

    def test_a_missing_module_is_a_clear_error(self) -> None:
        with self.assertRaisesRegex(edgegym.ServerDied, r"(?s)--require ./no-such-envs.js: could not import it"):
            edgegym.make("CartPole-v1", require=["./no-such-envs.js"])


class SocketServers(unittest.TestCase):
    def test_a_loopback_server_serves_one_client_then_exits(self) -> None:
        server = subprocess.Popen([NODE, str(CLI), "serve", "--port", "0"], stdout=subprocess.PIPE, text=True)
        try:
            assert server.stdout is not None
            line = server.stdout.readline().strip()
            self.assertRegex(line, r"^edgegym serve: listening on tcp:127\.0\.0\.1:\d+$")
            env = edgegym.make("CartPole-v1", address=line.rsplit(" ", 1)[1])
            env.reset(seed=2)
            env.step(1)
            env.close()
            self.assertEqual(server.wait(timeout=30), 0)
        finally:
            server.kill()
            server.wait()
            assert server.stdout is not None
            server.stdout.close()

    def test_non_loopback_addresses_are_refused(self) -> None:
        out = subprocess.run([NODE, str(CLI), "serve", "--port", "0", "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60)
        self.assertEqual(out.returncode, 2)
        self.assertIn("listens only on loopback addresses", out.stderr)


class BaseClasses(unittest.TestCase):
    def test_gymnasium_classes_when_installed_else_look_alikes(self) -> None:
        env = edgegym.make("CartPole-v1")
        try:
            if _gym.HAVE_GYMNASIUM:
                import gymnasium

                self.assertIsInstance(env, gymnasium.Env)
                self.assertIsInstance(env.observation_space, gymnasium.spaces.Box)
            else:
                print("\n  gymnasium is not installed: checked the numpy-only look-alikes instead", end=" ")
                self.assertIsInstance(env.observation_space, edgegym.spaces.Box)
            for method in ("reset", "step", "close", "render"):
                self.assertTrue(callable(getattr(env, method)))
            self.assertIs(env.unwrapped, env)
            self.assertIsInstance(env.np_random, np.random.Generator)
        finally:
            env.close()

    def test_missing_gymnasium_is_said_once(self) -> None:
        if _gym.HAVE_GYMNASIUM:
            self.skipTest("gymnasium is installed")
        _gym._warned = False
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            edgegym.make("CartPole-v1").close()
            edgegym.make("CartPole-v1").close()
        said = [w for w in caught if "gymnasium is not installed" in str(w.message)]
        self.assertEqual(len(said), 1)
        self.assertTrue(said[0].filename.endswith("test_api.py"), said[0].filename)


if __name__ == "__main__":
    unittest.main()
