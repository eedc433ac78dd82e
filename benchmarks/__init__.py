"""Benchmarks, run by hand as ``python -m benchmarks.<name>`` (see benchmarks/README.md).

Every one uses benchmarks.harness for the environment, the server and the report.
"""
