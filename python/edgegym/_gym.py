# Gymnasium's base classes and spaces when gymnasium is installed, else numpy-only look-alikes
# with the same methods, so the rest of the client is written once against either.
"""Which Env/VectorEnv base classes and spaces edgegym uses: gymnasium's, or stand-ins."""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

try:
    import gymnasium
except ImportError:  # numpy only: the look-alikes below
    gymnasium = None

HAVE_GYMNASIUM = gymnasium is not None

if gymnasium is not None:
    from gymnasium import Env as EnvBase
    from gymnasium import spaces
    from gymnasium.vector import VectorEnv as VectorEnvBase
    from gymnasium.vector.utils import batch_space

    # Gymnasium 1.1 named the autoreset modes; 1.0 had same-step behaviour under no name.
    _mode = getattr(gymnasium.vector, "AutoresetMode", None)
    SAME_STEP: Any = _mode.SAME_STEP if _mode is not None else "SameStep"
    from gymnasium.envs.registration import EnvSpec
else:
    from . import spaces  # type: ignore[no-redef]
    from .spaces import batch_space  # type: ignore[assignment]

    SAME_STEP = "SameStep"

    @dataclass
    class EnvSpec:  # type: ignore[no-redef]
        """The fields of gymnasium's EnvSpec that describe a served env."""

        id: str
        entry_point: Any = None
        reward_threshold: float | None = None
        nondeterministic: bool = False
        max_episode_steps: int | None = None
        kwargs: dict[str, Any] = field(default_factory=dict)

        def make(self, **kwargs: Any) -> Any:
            """A new env like the one this spec describes (gymnasium's EnvSpec.make, without wrappers)."""
            module, _, name = str(self.entry_point).partition(":")
            return getattr(importlib.import_module(module), name)(**{**self.kwargs, **kwargs})

    class _Seeded:
        """What both look-alikes share: a lazily seeded generator, `unwrapped`, use in `with`."""

        _np_random: np.random.Generator | None = None

        def close(self) -> None:
            pass

        @property
        def np_random(self) -> np.random.Generator:
            if self._np_random is None:
                self._np_random = np.random.default_rng()
            return self._np_random

        @property
        def unwrapped(self) -> Any:
            return self

        def __enter__(self) -> Any:
            return self

        def __exit__(self, *args: Any) -> bool:
            self.close()
            return False

    class EnvBase(_Seeded):  # type: ignore[no-redef]
        """The parts of gymnasium.Env that edgegym's env uses and a training loop reads."""

        metadata: dict[str, Any] = {"render_modes": []}
        render_mode: str | None = None
        spec: Any = None
        observation_space: Any
        action_space: Any
        _np_random: np.random.Generator | None = None

        def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> Any:
            if seed is not None:
                self._np_random = np.random.default_rng(seed)
            return None

        def step(self, action: Any) -> Any:
            raise NotImplementedError

        def render(self) -> Any:
            return None

    class VectorEnvBase(_Seeded):  # type: ignore[no-redef]
        """The parts of gymnasium.vector.VectorEnv that edgegym's vector env uses."""

        metadata: dict[str, Any] = {}
        spec: Any = None
        render_mode: str | None = None
        closed: bool = False
        num_envs: int
        _np_random: np.random.Generator | None = None

        def reset(self, *, seed: int | list[int | None] | None = None, options: dict[str, Any] | None = None) -> Any:
            if isinstance(seed, int):
                self._np_random = np.random.default_rng(seed)
            return None

        def step(self, actions: Any) -> Any:
            raise NotImplementedError

        def close(self, **kwargs: Any) -> None:
            if self.closed:
                return
            self.close_extras(**kwargs)
            self.closed = True

        def close_extras(self, **kwargs: Any) -> None:
            pass

        def _add_info(self, vector_infos: dict[str, Any], env_info: dict[str, Any], env_num: int) -> dict[str, Any]:
            """Gymnasium's vector info layout: per key an array over sub-envs and a `_key` bool mask."""
            for key, value in env_info.items():
                if isinstance(value, dict):
                    array: Any = self._add_info(vector_infos.get(key, {}), value, env_num)
                elif key in vector_infos:
                    array = vector_infos[key]
                    array[env_num] = value
                else:
                    if type(value) in (int, float, bool) or isinstance(value, np.number):
                        array = np.zeros(self.num_envs, dtype=type(value))
                    elif isinstance(value, np.ndarray):
                        array = np.zeros((self.num_envs, *value.shape), dtype=value.dtype)
                    else:
                        array = np.full(self.num_envs, None, dtype=object)
                    array[env_num] = value
                present = vector_infos.get(f"_{key}", np.zeros(self.num_envs, dtype=np.bool_))
                present[env_num] = True
                vector_infos[key], vector_infos[f"_{key}"] = array, present
            return vector_infos


_warned = False


def note_missing_gymnasium() -> None:
    """Says once per process that the look-alikes are in use."""
    global _warned
    if HAVE_GYMNASIUM or _warned:
        return
    _warned = True
    warnings.warn(
        "edgegym: gymnasium is not installed, so edgegym.make and make_vec return numpy-only look-alikes "
        "of gymnasium.Env and gymnasium.vector.VectorEnv (same methods and spaces' attributes); "
        "`pip install gymnasium` to get gymnasium's own classes",
        stacklevel=5,
    )
