"""Running batches of scenarios on a Ray or Dask cluster instead of this machine's threads.

:func:`resolve_executor` turns what a caller passes as ``executor=`` into an :class:`Executor`:

- ``None``: the serial engine (this machine's cores, through threads);
- a ``dask.distributed.Client``;
- the ``ray`` module itself, after ``ray.init(...)``.

Neither Ray nor Dask is imported unless one of them is passed in. An executor ships the compiled
graph's arrays to the cluster once (:meth:`Executor.put`: Ray's object store, or Dask's scatter
with ``broadcast=True``), then runs batches of scenarios there, every worker running the very
kernel the serial engine runs, and gathers the results in the order they were submitted
(:meth:`Executor.map`). Random draws and every sum across scenarios stay with the caller, so a
result is equal, bit for bit, to the serial one.

Examples
--------
>>> from cxgraph.engine.executors import resolve_executor
>>> resolve_executor(None) is None
True
>>> resolve_executor("threads")
Traceback (most recent call last):
...
cxgraph.errors.AnalysisInputError: executor must be None, a dask.distributed Client or the ray module after \
ray.init(); got str
"""

from __future__ import annotations

import types
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from ..errors import AnalysisInputError

__all__ = ["DaskExecutor", "Executor", "RayExecutor", "interleave", "resolve_executor"]


class Executor:
    """The adapter every distributed run goes through: put shared data once, map a function over batches.

    Subclasses wrap one engine; build one with :func:`resolve_executor`.

    Examples
    --------
    >>> from cxgraph.engine.executors import DaskExecutor, Executor, RayExecutor
    >>> issubclass(RayExecutor, Executor) and issubclass(DaskExecutor, Executor)
    True
    """

    name = ""

    def __init__(self) -> None:
        self._shared: dict[int, tuple[Any, Any]] = {}

    @property
    def workers(self) -> int:
        """Return how many tasks the cluster runs at once (CPUs for Ray, worker threads for Dask)."""
        raise NotImplementedError

    def batches(self, n: int, per_worker: int = 2) -> int:
        """Return how many batches to cut ``n`` scenarios into: a few per worker, keeping per-task overhead small."""
        return max(1, min(n, per_worker * self.workers))

    def put(self, obj: Any) -> Any:
        """Ship ``obj`` to the cluster once and return its handle (for :meth:`map`)."""
        raise NotImplementedError

    def share(self, obj: Any) -> Any:
        """Return the handle of ``obj``, putting it only the first time this executor sees that very object."""
        hit = self._shared.get(id(obj))
        if hit is None or hit[0] is not obj:
            hit = (obj, self.put(obj))
            self._shared[id(obj)] = hit
        return hit[1]

    def map(self, fn: Callable[[Any, Any], Any], handle: Any, batches: Sequence[Any]) -> list[Any]:
        """Run ``fn(shared, batch)`` for every batch on the cluster; return the results in the order of ``batches``."""
        raise NotImplementedError


class RayExecutor(Executor):
    """Batches run as Ray tasks; shared data lives in Ray's object store.

    Examples
    --------
    >>> from cxgraph.engine.executors import RayExecutor
    >>> RayExecutor.name
    'ray'
    """

    name = "ray"

    def __init__(self, ray: Any) -> None:
        super().__init__()
        if not ray.is_initialized():
            raise AnalysisInputError("executor=ray needs a running Ray: call ray.init() (or "
                                     "ray.init(address='ray://head:10001') for a cluster) first")
        self.ray = ray
        self._remote: dict[Callable[..., Any], Any] = {}

    @property
    def workers(self) -> int:  # noqa: D102 - documented on Executor
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def put(self, obj: Any) -> Any:  # noqa: D102 - documented on Executor
        return self.ray.put(obj)

    def map(self, fn: Callable[[Any, Any], Any], handle: Any, batches: Sequence[Any]) -> list[Any]:  # noqa: D102
        remote = self._remote.get(fn)
        if remote is None:
            remote = self._remote[fn] = self.ray.remote(fn)
        return list(self.ray.get([remote.remote(handle, batch) for batch in batches]))


class DaskExecutor(Executor):
    """Batches run as Dask tasks; shared data is scattered to every worker (``broadcast=True``).

    Examples
    --------
    >>> from cxgraph.engine.executors import DaskExecutor
    >>> DaskExecutor.name
    'dask'
    """

    name = "dask"

    def __init__(self, client: Any) -> None:
        super().__init__()
        self.client = client

    @property
    def workers(self) -> int:  # noqa: D102 - documented on Executor
        info = self.client.scheduler_info().get("workers", {})
        return max(1, sum(int(w.get("nthreads", 1)) for w in info.values()))

    def put(self, obj: Any) -> Any:  # noqa: D102 - documented on Executor
        # a list around the object, so that Dask scatters it whole instead of each item of a tuple or dict
        return self.client.scatter([obj], broadcast=True, hash=False)[0]

    def map(self, fn: Callable[[Any, Any], Any], handle: Any, batches: Sequence[Any]) -> list[Any]:  # noqa: D102
        futures = [self.client.submit(fn, handle, batch, pure=False) for batch in batches]
        return list(self.client.gather(futures))


def _is_ray(executor: Any) -> bool:
    return isinstance(executor, types.ModuleType) and executor.__name__ == "ray"


def _is_dask(executor: Any) -> bool:
    kind = type(executor)
    return kind.__name__ == "Client" and kind.__module__.split(".")[0] == "distributed"


def resolve_executor(executor: Any) -> Executor | None:
    """Return the :class:`Executor` for ``executor=``: ``None`` (serial), a Dask ``Client`` or the ``ray`` module.

    An :class:`Executor` is returned as it is. Anything else raises
    :class:`~cxgraph.AnalysisInputError` (a ``ValueError``) saying what is accepted.

    Examples
    --------
    >>> from cxgraph.engine.executors import resolve_executor
    >>> resolve_executor(None) is None
    True
    >>> resolve_executor(4)
    Traceback (most recent call last):
    ...
    cxgraph.errors.AnalysisInputError: executor must be None, a dask.distributed Client or the ray module after \
ray.init(); got int
    """
    if executor is None or isinstance(executor, Executor):
        return executor
    if _is_ray(executor):
        return RayExecutor(executor)
    if _is_dask(executor):
        return DaskExecutor(executor)
    raise AnalysisInputError("executor must be None, a dask.distributed Client or the ray module after ray.init(); "
                             f"got {type(executor).__name__}")


def interleave(n: int, parts: int) -> list[np.ndarray]:
    """Cut scenarios ``0..n-1`` into ``parts`` interleaved batches (``i, i + parts, ...``), none of them empty.

    Interleaving spreads the few heavy scenarios (a shared hub) over the workers.

    Examples
    --------
    >>> from cxgraph.engine.executors import interleave
    >>> [b.tolist() for b in interleave(5, 2)]
    [[0, 2, 4], [1, 3]]
    """
    parts = max(1, min(parts, n))
    return [np.arange(i, n, parts, dtype=np.int64) for i in range(parts)] if n else [np.zeros(0, np.int64)]
