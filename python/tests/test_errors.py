# Failures are clear Python exceptions, never hangs: malformed requests get error replies that
# name what was wrong, a killed server or a silent one raises, and env errors carry their message.
"""Error handling of the bridge."""

from __future__ import annotations

import contextlib
import os
import shlex
import struct
import sys
import time
import unittest
import warnings
from typing import Iterator

import numpy as np

import helpers  # noqa: F401  (puts the client on sys.path)

import edgegym
from edgegym import protocol as P
from edgegym.connection import Connection

warnings.simplefilter("ignore")


class MalformedRequests(unittest.TestCase):
    """Raw frames sent with the low-level Connection, as a buggy client would."""

    def setUp(self) -> None:
        self.conn = Connection(timeout=30)

    def tearDown(self) -> None:
        self.conn.close()

    def expect(self, frame: bytes, pattern: str) -> None:
        self.conn.send(frame)
        with self.assertRaisesRegex(edgegym.BadRequestError, pattern):
            self.conn.receive("test")

    def make_cartpole(self) -> None:
        self.conn.request_json(P.MAKE, {"id": "CartPole-v1", "numEnvs": 2, "vector": True})

    def test_unknown_type_and_wrong_version(self) -> None:
        self.expect(P.header(0x42, 0), r"unknown message type 0x42; expected one of LIST \(1\), MAKE \(2\)")
        self.expect(struct.pack("<IBBH", 0, P.LIST, 9, 0), "protocol version 9 requested; this server speaks version 1")
        # The server is still serving after both.
        self.assertIn("CartPole-v1", [e["id"] for e in self.conn.request_json(P.LIST)["envs"]])

    def test_bad_make_bodies(self) -> None:
        body = b"{not json"
        self.expect(P.header(P.MAKE, len(body)) + body, "MAKE: the body is not UTF-8 JSON")
        self.expect(P.json_frame(P.MAKE, {"id": "CartPole-v1", "num_envs": 2}), r'MAKE: unknown field "num_envs"; expected id, kwargs, numEnvs')
        self.expect(P.json_frame(P.MAKE, {"id": "CartPole-v1", "numEnvs": 0, "vector": True}), '"numEnvs" must be a positive integer, got 0')
        self.expect(P.json_frame(P.MAKE, [1, 2]), "MAKE's body must be a JSON object")

    def test_requests_before_make(self) -> None:
        self.expect(P.header(P.STEP, 8) + bytes(8), "STEP before MAKE: send MAKE")
        self.expect(P.json_frame(P.RESET, {}), "RESET before MAKE")

    def test_wrong_action_bytes_and_seeds(self) -> None:
        self.make_cartpole()
        self.expect(P.header(P.STEP, 8) + bytes(8), r"got 8 bytes of actions, expected 2 envs × 1 action values × 8 bytes \(float64\) = 16")
        self.expect(P.json_frame(P.RESET, {"seeds": [1]}), r"seeds must be a list of 2 \(one per sub-env")
        self.expect(P.json_frame(P.RESET, {"seed": 1}), 'unknown field "seed"; expected seeds, options')
        self.expect(P.json_frame(P.MAKE, {"id": "CartPole-v1"}), "this server already hosts CartPole-v1")

    def test_a_length_past_the_limit_ends_the_stream_with_a_reply(self) -> None:
        self.conn.send(struct.pack("<IBBH", 0xFFFFFFFF, P.STEP, 1, 0))
        with self.assertRaisesRegex(edgegym.BadRequestError, "announced 4294967295 body bytes.*out of step"):
            self.conn.receive("test")


class EnvErrors(unittest.TestCase):
    def test_unknown_id_names_the_closest(self) -> None:
        with self.assertRaisesRegex(edgegym.EnvError, r'No env registered with id "EdgeSched/Dispach-v0". Did you mean "EdgeSched/Dispatch-v0"'):
            edgegym.make("EdgeSched/Dispach-v0")

    def test_bad_kwargs_and_actions(self) -> None:
        with self.assertRaisesRegex(edgegym.EnvError, r'MAKE: Dispatch: kwarg "alpha" must be a finite number at least 0, got -1 \(KwargError\)'):
            edgegym.make("EdgeSched/Dispatch-v0", alpha=-1)
        with self.assertRaisesRegex(edgegym.EnvError, r'MAKE: Dispatch: unknown kwarg "horizn" \(did you mean "horizon"\?\)'):
            edgegym.make("EdgeSched/Dispatch-v0", horizn="1 min")
        env = edgegym.make("CartPole-v1")
        try:
            with self.assertRaisesRegex(edgegym.EnvError, r"step\(\) was called before reset\(\)"):
                env.step(0)
            env.reset(seed=0)
            with self.assertRaisesRegex(edgegym.EnvError, r"action 7 is not in Discrete\(2\)"):
                env.step(7)
            env.step(1)  # still usable after a bad action
        finally:
            env.close()

    def test_numpy_values_in_kwargs_cross_and_others_are_refused(self) -> None:
        env = edgegym.make("CartPole-v1")
        try:
            obs, _ = env.reset(seed=1, options={"state": np.array([0.0, 0.1, 0.02, 0.0])})
            self.assertTrue(np.allclose(obs, [0.0, 0.1, 0.02, 0.0]))
            with self.assertRaisesRegex(TypeError, "cannot be sent to the server"):
                env.reset(options={"state": object()})
        finally:
            env.close()

    def test_vector_action_shape_is_checked_before_sending(self) -> None:
        env = edgegym.make_vec("CartPole-v1", 4)
        try:
            env.reset(seed=0)
            with self.assertRaisesRegex(ValueError, r"got actions of shape \(3,\), expected 4 sub-envs × 1 values"):
                env.step(np.zeros(3, dtype=np.int64))
            with self.assertRaisesRegex(ValueError, "reset_mask"):
                env.reset(options={"reset_mask": np.ones(4, dtype=bool)})
        finally:
            env.close()


@contextlib.contextmanager
def cli_running(python_code: str) -> Iterator[None]:
    """EDGEGYM_CLI set, for the block, to a Python one-liner posing as the CLI."""
    old = os.environ.get("EDGEGYM_CLI")
    os.environ["EDGEGYM_CLI"] = f"{shlex.quote(sys.executable)} -c {shlex.quote(python_code)}"
    try:
        yield
    finally:
        if old is None:
            del os.environ["EDGEGYM_CLI"]
        else:
            os.environ["EDGEGYM_CLI"] = old


class DeadOrSilentServers(unittest.TestCase):
    def test_a_killed_server_raises_server_died(self) -> None:
        env = edgegym.make("CartPole-v1", timeout=30)
        env.reset(seed=0)
        process = env._served.conn.process
        assert process is not None
        process.kill()
        process.wait()
        start = time.monotonic()
        with self.assertRaisesRegex(edgegym.ServerDied, r"went away .*\(exit code -9, killed by signal 9\)"):
            env.step(0)
        self.assertLess(time.monotonic() - start, 20, "a dead server is noticed at once, not after the timeout")
        env.close()  # harmless after the failure

    def test_a_silent_server_times_out(self) -> None:
        # A "CLI" that never answers: the client gives up after its timeout and says so.
        with cli_running("import time; time.sleep(60)"):
            with self.assertRaisesRegex(edgegym.ServerTimeout, r"sent no reply to MAKE within 1.0 s; closed it"):
                edgegym.make("CartPole-v1", timeout=1.0)

    def test_a_cli_that_exits_at_once_shows_its_stderr(self) -> None:
        with cli_running("import sys; sys.exit('no node here')"):
            with self.assertRaisesRegex(edgegym.ServerDied, r"(?s)exit code 1\).*no node here"):
                edgegym.make("CartPole-v1", timeout=30)


if __name__ == "__main__":
    unittest.main()
