"""Service dependency graphs from tracing: Jaeger's ``/api/dependencies`` and Zipkin's dependency links.

Examples
--------
>>> cx.io.traces.trace_layout({"data": []})
'jaeger'
"""

from .estate import read_traces_estate
from .read import read_traces, trace_layout

__all__ = ["read_traces", "read_traces_estate", "trace_layout"]
