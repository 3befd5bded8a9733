"""Shared fixtures; hypothesis profiles (``ci`` is derandomized and used when CI is set)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest
from hypothesis import HealthCheck, settings

matplotlib.use("Agg")

settings.register_profile("ci", derandomize=True, deadline=None, max_examples=60,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))

DATA = Path(__file__).parent / "data"
# No dashboard, and the scheduler's small HTTP server on a free port rather than 8787 (which may be taken).
_NO_DASHBOARD = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def dask_client():  # type: ignore[no-untyped-def]
    """A local Dask cluster of two single-threaded worker processes, shared by the whole run."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                       scheduler_kwargs=_NO_DASHBOARD)
    with cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="session")
def ray_module():  # type: ignore[no-untyped-def]
    """Ray running locally on two CPUs, shared by the whole run."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        yield ray
    finally:
        ray.shutdown()


@pytest.fixture(params=["dask", "ray"])
def executor(request):  # type: ignore[no-untyped-def]
    """Each distributed engine in turn (skipped where it is not installed)."""
    return request.getfixturevalue("dask_client" if request.param == "dask" else "ray_module")
