"""Helpers of benchmarks/load.py: the stack it starts (stack), the data it prepares
(prepare, run inside Django), the simulated people (locustfile, run by locust), the figures it
prints (figures) and the faults it causes (faults, smtp_sink)."""
