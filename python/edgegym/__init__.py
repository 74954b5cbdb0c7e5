# edgegym's environments from Python: every env registered in the TypeScript package, as a
# Gymnasium Env or VectorEnv served by a local `edgegym serve` process (numpy is the only need).
"""edgegym's envs as Gymnasium envs.

>>> import edgegym
>>> env = edgegym.make("EdgeSched/Dispatch-v0", horizon="10 s")
>>> obs, info = env.reset(seed=1)
>>> obs, reward, terminated, truncated, info = env.step(int(info["action_mask"].argmax()))
>>> env.close()

Each env (or vector env) has its own server process, started with the edgegym CLI found at
$EDGEGYM_CLI, this repository's dist/bin/edgegym.js, node_modules/.bin/edgegym, or on PATH.
"""

from __future__ import annotations

from typing import Any, Sequence

from ._gym import HAVE_GYMNASIUM
from .connection import DEFAULT_TIMEOUT, BadRequestError, EdgegymError, EnvError, ServerDied, ServerTimeout, find_cli, list_envs
from . import spaces
from .env import EdgegymEnv, EdgegymVectorEnv
from .protocol import PROTOCOL_VERSION

__version__ = "0.1.0"


def make(id: str, *, max_episode_steps: int | None = None, address: str | None = None, require: Sequence[str] = (),
         timeout: float | None = DEFAULT_TIMEOUT, **kwargs: Any) -> EdgegymEnv:
    """The env registered as ``id``, built with ``kwargs`` (the TypeScript env's kwargs, e.g. ``horizon="1 min"``).

    ``max_episode_steps`` overrides the registered step limit (0 removes it); ``require`` lists
    modules the server imports first (a user's env registrations); ``address`` connects to a
    server already listening (``"tcp:127.0.0.1:PORT"`` or ``"unix:PATH"``) instead of starting one;
    ``timeout`` bounds how long any reply may take, in seconds (None: no bound).
    """
    return EdgegymEnv(id, max_episode_steps=max_episode_steps, address=address, require=require, timeout=timeout, **kwargs)


def make_vec(id: str, num_envs: int = 1, *, vectorization_mode: str | None = None, max_episode_steps: int | None = None,
             address: str | None = None, require: Sequence[str] = (), timeout: float | None = DEFAULT_TIMEOUT, **kwargs: Any) -> EdgegymVectorEnv:
    """``num_envs`` copies of ``id`` in one server, stepped with one round trip per batch (same-step autoreset).

    ``vectorization_mode`` is the server's: ``"vector-entry-point"`` (the env's native vector
    version, e.g. CartPole's, the default when there is one), ``"sync"`` or ``"async"`` (worker threads).
    """
    return EdgegymVectorEnv(id, num_envs, vectorization_mode=vectorization_mode, max_episode_steps=max_episode_steps,
                            address=address, require=require, timeout=timeout, **kwargs)


def registered_envs(require: Sequence[str] = ()) -> list[str]:
    """The ids ``make`` accepts: the built-in envs and those the ``require`` modules register."""
    return [e["id"] for e in list_envs(require=require)]


__all__ = [
    "make", "make_vec", "registered_envs", "list_envs", "find_cli", "EdgegymEnv", "EdgegymVectorEnv",
    "EdgegymError", "BadRequestError", "EnvError", "ServerDied", "ServerTimeout", "HAVE_GYMNASIUM", "PROTOCOL_VERSION",
]
