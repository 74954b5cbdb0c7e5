# edgegym's envs as Gymnasium envs: EdgegymEnv (one env, reset by the caller) and EdgegymVectorEnv
# (N envs in one server, same-step autoreset), both decoding the server's binary replies.
"""Gymnasium ``Env`` and ``VectorEnv`` classes backed by an ``edgegym serve`` process."""

from __future__ import annotations

import struct
from typing import Any, Sequence

import numpy as np

from . import protocol as P
from ._gym import SAME_STEP, EnvBase, EnvSpec, VectorEnvBase, batch_space, note_missing_gymnasium, spaces
from .connection import DEFAULT_TIMEOUT, Connection

F64 = struct.Struct("<d")


def space_from_json(j: dict[str, Any]) -> Any:
    """The Gymnasium space for a TypeScript space's JSON form (Box, Discrete, MultiDiscrete, MultiBinary)."""
    kind = j.get("type")
    if kind == "Box":
        dtype = np.dtype(j["dtype"])
        low = np.array([float(v) for v in j["low"]], dtype=np.float64).reshape(j["shape"]).astype(dtype)
        high = np.array([float(v) for v in j["high"]], dtype=np.float64).reshape(j["shape"]).astype(dtype)
        return spaces.Box(low=low, high=high, shape=tuple(j["shape"]), dtype=dtype)
    if kind == "Discrete":
        return spaces.Discrete(int(j["n"]), start=int(j.get("start", 0)))
    if kind == "MultiDiscrete":
        return spaces.MultiDiscrete(np.array(j["nvec"], dtype=np.int64), start=np.array(j["start"], dtype=np.int64))
    if kind == "MultiBinary":
        shape = j["shape"]
        return spaces.MultiBinary(shape[0] if len(shape) == 1 else shape)
    raise TypeError(f"edgegym: no Gymnasium space for the server's {kind} space {j!r}")


def _info(raw: dict[str, Any] | None, mask: np.ndarray | None) -> dict[str, Any]:
    """A Gymnasium info dict: `actionMask` as info["action_mask"], a numpy bool array."""
    info: dict[str, Any] = {} if raw is None else dict(raw)
    listed = info.pop("actionMask", None)
    if mask is not None:
        info["action_mask"] = mask
    elif listed is not None:
        info["action_mask"] = np.asarray(listed, dtype=np.uint8).astype(np.bool_)
    return info


def _end_server(env: Any) -> None:
    """An env dropped without close() still ends its server (the server would also exit on EOF)."""
    served = getattr(env, "_served", None)
    if served is not None and not served.conn.closed:
        served.conn.close(kill=True)


class _Served:
    """The make/spaces handshake and the reply decoding both env classes share."""

    def __init__(self, env_id: str, kwargs: dict[str, Any], num_envs: int, vector: bool, vectorization_mode: str | None,
                 max_episode_steps: int | None, address: str | None, require: Sequence[str], timeout: float | None) -> None:
        note_missing_gymnasium()
        self.conn = Connection(address=address, require=require, timeout=timeout)
        try:
            request: dict[str, Any] = {"id": env_id, "kwargs": kwargs, "numEnvs": num_envs, "vector": vector}
            if vectorization_mode is not None:
                request["vectorizationMode"] = vectorization_mode
            if max_episode_steps is not None:
                request["maxEpisodeSteps"] = max_episode_steps
            self.made = self.conn.request_json(P.MAKE, request)
            self.space_json = self.conn.request_json(P.SPACES)
        except BaseException:
            self.conn.close(kill=True)
            raise
        m = self.made
        self.n, self.d, self.width, self.m = int(m["numEnvs"]), int(m["obsDim"]), int(m["actionWidth"]), int(m["maskLength"])
        obs = self.space_json["observation"]
        # Box observations keep their shape and dtype; others arrive as their flat float32 encoding.
        self.observation_space = space_from_json(obs if obs["type"] == "Box" else self.space_json["flatObservation"])
        self.obs_shape = tuple(self.observation_space.shape)
        self.obs_cast = None if self.observation_space.dtype == np.float32 else self.observation_space.dtype
        self.action_space = space_from_json(self.space_json["action"])
        self.layout = P.step_layout(self.n, self.d)
        self._step_frame = bytearray(P.header(P.STEP, 8 * self.n * self.width) + bytes(8 * self.n * self.width))
        self.actions = np.frombuffer(self._step_frame, dtype="<f8", offset=P.HEADER_BYTES)
        s = m.get("spec") or {}
        # A spec gymnasium.make can rebuild the env from (gymnasium's check_env does): the entry
        # point is the env class, its kwargs hold the id and how to reach a server.
        remake: dict[str, Any] = {"env_id": env_id, **kwargs}
        if vector:
            remake["num_envs"] = num_envs
        if require:
            remake["require"] = list(require)
        if address is not None:
            remake["address"] = address
        self.spec = EnvSpec(id=env_id, entry_point=f"edgegym.env:{'EdgegymVectorEnv' if vector else 'EdgegymEnv'}", reward_threshold=s.get("rewardThreshold"),
                            nondeterministic=bool(s.get("nondeterministic", False)), max_episode_steps=s.get("maxEpisodeSteps"), kwargs=remake)

    def observations(self, frame: memoryview, at: int) -> np.ndarray:
        obs = np.frombuffer(frame, dtype="<f4", count=self.n * self.d, offset=at).reshape((self.n, *self.obs_shape))
        return obs.copy() if self.obs_cast is None else obs.astype(self.obs_cast)

    def tail(self, frame: memoryview, flags: int, at: int) -> tuple[np.ndarray | None, dict[str, Any]]:
        """The masks (n × m bool) and the JSON sections that start at byte `at`."""
        masks = None
        if flags & P.FLAG_MASKS:
            masks = np.frombuffer(frame, dtype=np.uint8, count=self.n * self.m, offset=at).reshape(self.n, self.m).astype(np.bool_)
            at = P.align8(at + self.n * self.m)
        extra = P.read_json(frame, at) if flags & (P.FLAG_INFOS | P.FLAG_FINAL_INFOS) else {}
        return masks, extra

    def reset(self, seeds: list[int | None], options: dict[str, Any] | None) -> tuple[np.ndarray, np.ndarray | None, dict[str, Any]]:
        self.conn.send(P.json_frame(P.RESET, {"seeds": seeds, "options": options}))
        _, flags, frame = self.conn.receive("RESET")
        obs = self.observations(frame, P.HEADER_BYTES)
        masks, extra = self.tail(frame, flags, P.align8(P.HEADER_BYTES + 4 * self.n * self.d))
        return obs, masks, extra

    def close(self) -> None:
        self.conn.close()


class EdgegymEnv(EnvBase):
    """One edgegym env as a ``gymnasium.Env``, hosted by its own ``edgegym serve`` process.

    ``reset(seed=, options=)`` and ``step(action)`` follow Gymnasium 1.x: after ``terminated`` or
    ``truncated``, call ``reset``. The same seed and actions give the same observations and rewards,
    bit for bit, as the TypeScript env. ``info["action_mask"]`` (a bool array) is there whenever the
    env gives a mask; other info keys are the env's own (camelCase, e.g. ``episodeMetrics``).
    """

    def __init__(self, env_id: str, *, max_episode_steps: int | None = None, address: str | None = None, require: Sequence[str] = (),
                 timeout: float | None = DEFAULT_TIMEOUT, **kwargs: Any) -> None:
        self._served = _Served(env_id, kwargs, 1, False, None, max_episode_steps, address, require, timeout)
        self.observation_space = self._served.observation_space
        self.action_space = self._served.action_space
        self.metadata = {"render_modes": list(self._served.made.get("renderModes", []))}
        self.render_mode = None
        self.spec = self._served.spec
        self._single_action = self._served.width == 1
        self._last_mask: np.ndarray | None = None

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
        super().reset(seed=seed)
        obs, masks, extra = self._served.reset([seed], options)
        infos = extra.get("infos")
        self._last_mask = None if masks is None else masks[0]
        return obs[0], _info(None if infos is None else infos[0], self._last_mask)

    def step(self, action: Any) -> tuple[Any, float, bool, bool, dict[str, Any]]:
        s = self._served
        if self._single_action:
            s.actions[0] = action
        else:
            s.actions[:] = np.ravel(action)
        s.conn.send(s._step_frame)
        _, flags, frame = s.conn.receive("STEP")
        lay = s.layout
        (reward,) = F64.unpack_from(frame, lay.rewards)
        obs = s.observations(frame, lay.observations)[0]
        terminated, truncated = frame[lay.terminations] != 0, frame[lay.truncations] != 0
        if flags == 0:
            self._last_mask = None
            return obs, reward, terminated, truncated, {}
        masks, extra = s.tail(frame, flags, lay.end_without_finals)
        infos = extra.get("infos")
        self._last_mask = None if masks is None else masks[0]
        return obs, reward, terminated, truncated, _info(None if infos is None else infos[0], self._last_mask)

    def action_masks(self) -> np.ndarray:
        """The allowed actions now (the last info's action_mask; all allowed when the env gave none).

        The method sb3-contrib's MaskablePPO looks for, so it can train on masked envs as they are.
        """
        if self._last_mask is not None:
            return self._last_mask
        n = int(np.sum(self.action_space.nvec)) if hasattr(self.action_space, "nvec") else int(self.action_space.n)
        return np.ones(n, dtype=np.bool_)

    def close(self) -> None:
        self._served.close()

    def __del__(self) -> None:
        _end_server(self)

    def __str__(self) -> str:
        return f"<EdgegymEnv<{self.spec.id}>>"


class EdgegymVectorEnv(VectorEnvBase):
    """``num_envs`` copies of an edgegym env in one ``edgegym serve`` process, as a ``gymnasium.vector.VectorEnv``.

    One round trip per batch. Autoreset is **same-step** (``metadata["autoreset_mode"]`` is
    ``AutoresetMode.SAME_STEP``): a sub-env that terminates or truncates is reset inside the same
    ``step``; its row of the returned observations is the new episode's first observation, and
    ``infos["final_obs"]`` / ``infos["final_info"]`` (with ``"_final_obs"`` / ``"_final_info"`` masks)
    hold the finished episode's last observation and info. ``infos["action_mask"]`` is an
    ``(num_envs, n)`` bool array whenever the env gives masks.
    """

    def __init__(self, env_id: str, num_envs: int, *, vectorization_mode: str | None = None, max_episode_steps: int | None = None,
                 address: str | None = None, require: Sequence[str] = (), timeout: float | None = DEFAULT_TIMEOUT, **kwargs: Any) -> None:
        self._served = _Served(env_id, kwargs, num_envs, True, vectorization_mode, max_episode_steps, address, require, timeout)
        self.num_envs = self._served.n
        self.single_observation_space = self._served.observation_space
        self.single_action_space = self._served.action_space
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.metadata = {"render_modes": [], "autoreset_mode": SAME_STEP}
        self.render_mode = None
        self.spec = self._served.spec
        self.closed = False

    def reset(self, *, seed: int | Sequence[int | None] | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        """``seed``: an int (sub-env i gets seed + i, as Gymnasium does), one per sub-env, or None."""
        n = self.num_envs
        if options is not None and "reset_mask" in options:
            raise ValueError("edgegym: reset(options={'reset_mask': ...}) is not supported; autoreset is same-step, so no sub-env waits for a reset")
        if seed is None:
            seeds: list[int | None] = [None] * n
        elif isinstance(seed, (int, np.integer)):
            seeds = [int(seed) + i for i in range(n)]
        else:
            seeds = [None if s is None else int(s) for s in seed]
            if len(seeds) != n:
                raise ValueError(f"edgegym: got {len(seeds)} seeds for {n} sub-envs; give one int, one per sub-env, or None")
        super().reset(seed=int(seed) if isinstance(seed, (int, np.integer)) else None)
        obs, masks, extra = self._served.reset(seeds, options)
        return obs, self._infos(masks, extra.get("infos"))

    def step(self, actions: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        s = self._served
        a = np.asarray(actions)
        if a.size != s.n * s.width:
            raise ValueError(f"edgegym: got actions of shape {a.shape}, expected {s.n} sub-envs × {s.width} values (action_space {self.action_space})")
        s.actions[:] = a.reshape(-1)
        s.conn.send(s._step_frame)
        _, flags, frame = s.conn.receive("STEP")
        lay, n = s.layout, s.n
        rewards = np.frombuffer(frame, dtype="<f8", count=n, offset=lay.rewards).copy()
        terminations = np.frombuffer(frame, dtype=np.uint8, count=n, offset=lay.terminations).astype(np.bool_)
        truncations = np.frombuffer(frame, dtype=np.uint8, count=n, offset=lay.truncations).astype(np.bool_)
        obs = s.observations(frame, lay.observations)
        if flags == 0:
            return obs, rewards, terminations, truncations, {}
        finals = flags & P.FLAG_FINALS
        masks, extra = s.tail(frame, flags, lay.end_with_finals if finals else lay.end_without_finals)
        infos = self._infos(masks, extra.get("infos"))
        if finals:
            done = terminations | truncations
            final_obs = np.full(n, None, dtype=object)
            last = s.observations(frame, lay.finals)
            raw_finals = extra.get("finalInfos")
            final_info: dict[str, Any] = {}
            for i in np.flatnonzero(done):
                final_obs[i] = last[i]
                final_info = self._add_info(final_info, _info(None if raw_finals is None else raw_finals[i], None), int(i))
            infos["final_obs"], infos["_final_obs"] = final_obs, done
            infos["final_info"], infos["_final_info"] = final_info, done.copy()
        return obs, rewards, terminations, truncations, infos

    def _infos(self, masks: np.ndarray | None, raw: list[dict[str, Any]] | None) -> dict[str, Any]:
        infos: dict[str, Any] = {}
        if masks is not None:
            infos["action_mask"], infos["_action_mask"] = masks, np.ones(self.num_envs, dtype=np.bool_)
        if raw is not None:
            for i, info in enumerate(raw):
                if info:
                    infos = self._add_info(infos, _info(info, None), i)
        return infos

    def close_extras(self, **kwargs: Any) -> None:
        self._served.close()

    def __del__(self) -> None:
        _end_server(self)

    def __repr__(self) -> str:
        return f"EdgegymVectorEnv({self.spec.id}, num_envs={self.num_envs})"
