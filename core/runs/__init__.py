"""Runs: a folder per run (store), the job queue, the worker process and the command line."""
