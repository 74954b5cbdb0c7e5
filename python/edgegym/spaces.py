# Spaces for when gymnasium is not installed: numpy-only look-alikes of gymnasium.spaces' Box,
# Discrete, MultiDiscrete and MultiBinary (same constructors, attributes and methods we use).
"""Numpy-only stand-ins for the Gymnasium spaces edgegym's envs use.

Each has Gymnasium's constructor, ``shape``, ``dtype``, ``seed(seed)``, ``sample(mask=None)``,
``contains(x)`` / ``x in space`` and ``np_random``. With gymnasium installed, edgegym uses
gymnasium's own classes instead and this module is not imported.
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np


class Space:
    """A set of values, with a seeded generator for sampling."""

    def __init__(self, shape: tuple[int, ...] | None, dtype: Any, seed: int | None = None) -> None:
        self._shape = None if shape is None else tuple(int(d) for d in shape)
        self.dtype = None if dtype is None else np.dtype(dtype)
        self._np_random: np.random.Generator | None = None
        if seed is not None:
            self.seed(seed)

    @property
    def shape(self) -> tuple[int, ...] | None:
        return self._shape

    @property
    def np_random(self) -> np.random.Generator:
        if self._np_random is None:
            self.seed()
        assert self._np_random is not None
        return self._np_random

    def seed(self, seed: int | None = None) -> int:
        """Seeds the space's generator; without a seed, from OS entropy. Returns the seed used."""
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % (2**63))
        self._np_random = np.random.default_rng(seed)
        return seed

    def sample(self, mask: Any = None) -> Any:
        raise NotImplementedError

    def contains(self, x: Any) -> bool:
        raise NotImplementedError

    def __contains__(self, x: Any) -> bool:
        return self.contains(x)


class Box(Space):
    """An n-dimensional box; bounded sides sampled uniformly, unbounded ones from (shifted) normals."""

    def __init__(self, low: Any, high: Any, shape: Sequence[int] | None = None, dtype: Any = np.float32, seed: int | None = None) -> None:
        dtype = np.dtype(dtype)
        if shape is None:
            shape = np.shape(low) if np.ndim(low) > 0 else np.shape(high)
        shape = tuple(int(d) for d in shape)
        super().__init__(shape, dtype, seed)
        self.low = np.broadcast_to(np.asarray(low, dtype=dtype), shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=dtype), shape).copy()
        if np.any(self.low > self.high):
            raise ValueError(f"Box: some low bound is above its high bound: low={self.low}, high={self.high}")

    def is_bounded(self, manner: str = "both") -> bool:
        below = bool(np.all(np.isfinite(self.low))) if self.dtype.kind == "f" else True
        above = bool(np.all(np.isfinite(self.high))) if self.dtype.kind == "f" else True
        return {"both": below and above, "below": below, "above": above}[manner]

    def sample(self, mask: Any = None) -> np.ndarray:
        if mask is not None:
            raise ValueError("Box.sample: masks are not supported for Box spaces")
        rng = self.np_random
        if self.dtype.kind in "iu":
            return rng.integers(self.low, self.high, endpoint=True, size=self.shape).astype(self.dtype)
        low, high = self.low.astype(np.float64), self.high.astype(np.float64)
        out = rng.normal(size=self.shape)
        lb, ub = np.isfinite(low), np.isfinite(high)
        both = lb & ub
        out[both] = rng.uniform(low[both], high[both])
        out[lb & ~ub] = low[lb & ~ub] + rng.exponential(size=int(np.sum(lb & ~ub)))
        out[ub & ~lb] = high[ub & ~lb] - rng.exponential(size=int(np.sum(ub & ~lb)))
        return np.clip(out.astype(self.dtype), self.low, self.high)

    def contains(self, x: Any) -> bool:
        if not isinstance(x, np.ndarray):
            try:
                x = np.asarray(x, dtype=self.dtype)
            except (ValueError, TypeError):
                return False
        return bool(np.can_cast(x.dtype, self.dtype) and x.shape == self.shape and np.all(x >= self.low) and np.all(x <= self.high))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Box) and self.shape == other.shape and self.dtype == other.dtype and np.array_equal(self.low, other.low) and np.array_equal(self.high, other.high)

    def __repr__(self) -> str:
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"


class Discrete(Space):
    """The integers start, …, start + n − 1."""

    def __init__(self, n: int, seed: int | None = None, start: int = 0) -> None:
        super().__init__((), np.int64, seed)
        self.n = np.int64(n)
        self.start = np.int64(start)

    def sample(self, mask: np.ndarray | None = None) -> np.int64:
        """Uniform over the actions; with an int8 ``mask``, over those marked 1 (``start`` if none)."""
        if mask is None:
            return self.start + self.np_random.integers(self.n)
        mask = np.asarray(mask)
        if mask.shape != (self.n,):
            raise ValueError(f"Discrete.sample: mask must have shape ({self.n},), got {mask.shape}")
        allowed = np.flatnonzero(mask == 1)
        return self.start + (np.int64(self.np_random.choice(allowed)) if allowed.size > 0 else np.int64(0))

    def contains(self, x: Any) -> bool:
        if isinstance(x, (int, np.integer)) or (isinstance(x, np.ndarray) and x.shape == () and x.dtype.kind in "iu"):
            return bool(self.start <= int(x) < self.start + self.n)
        return False

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Discrete) and self.n == other.n and self.start == other.start

    def __repr__(self) -> str:
        return f"Discrete({self.n})" if self.start == 0 else f"Discrete({self.n}, start={self.start})"


class MultiDiscrete(Space):
    """Vectors whose entry k lies in start[k], …, start[k] + nvec[k] − 1."""

    def __init__(self, nvec: Any, dtype: Any = np.int64, seed: int | None = None, start: Any = None) -> None:
        self.nvec = np.asarray(nvec, dtype=dtype)
        self.start = np.zeros_like(self.nvec) if start is None else np.asarray(start, dtype=dtype)
        super().__init__(self.nvec.shape, dtype, seed)

    def sample(self, mask: Any = None) -> np.ndarray:
        if mask is not None:
            raise ValueError("MultiDiscrete.sample: give per-dimension masks to each dimension's Discrete instead")
        return (self.start + self.np_random.random(self.nvec.shape) * self.nvec).astype(self.dtype)

    def contains(self, x: Any) -> bool:
        x = np.asarray(x)
        return bool(x.shape == self.shape and x.dtype.kind in "iu" and np.all(x >= self.start) and np.all(x < self.start + self.nvec))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiDiscrete) and np.array_equal(self.nvec, other.nvec) and np.array_equal(self.start, other.start)

    def __repr__(self) -> str:
        return f"MultiDiscrete({self.nvec})"


class MultiBinary(Space):
    """Arrays of 0s and 1s of a given shape."""

    def __init__(self, n: Any, seed: int | None = None) -> None:
        self.n = n
        super().__init__((int(n),) if np.ndim(n) == 0 else tuple(n), np.int8, seed)

    def sample(self, mask: Any = None) -> np.ndarray:
        return self.np_random.integers(0, 2, size=self.shape, dtype=np.int8)

    def contains(self, x: Any) -> bool:
        x = np.asarray(x)
        return bool(x.shape == self.shape and np.all((x == 0) | (x == 1)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MultiBinary) and self.shape == other.shape

    def __repr__(self) -> str:
        return f"MultiBinary({self.n})"


def batch_space(space: Space, n: int) -> Space:
    """The space of ``n`` stacked values of ``space``, as gymnasium.vector.utils.batch_space makes it."""
    if isinstance(space, Box):
        return Box(np.stack([space.low] * n), np.stack([space.high] * n), (n, *space.shape), space.dtype)
    if isinstance(space, Discrete):
        return MultiDiscrete(np.full((n,), space.n, dtype=space.dtype), dtype=space.dtype, start=np.full((n,), space.start, dtype=space.dtype))
    if isinstance(space, MultiDiscrete):
        return Box(np.stack([space.start] * n), np.stack([space.start + space.nvec - 1] * n), (n, *space.shape), space.dtype)
    if isinstance(space, MultiBinary):
        return Box(0, 1, (n, *space.shape), space.dtype)
    raise TypeError(f"batch_space: cannot batch {space!r}")
