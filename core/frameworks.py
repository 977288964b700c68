"""The one place that imports TensorFlow and torch, in a safe order.

With torch 2.14, creating a torch optimizer in a process that has already imported
TensorFlow segfaults (triton's LLVM against TensorFlow's, tensorflow#124205). Importing
torch and torch._dynamo first avoids it. Worker processes import only their own
framework, so they skip that guard and save torch's import time.
"""
from __future__ import annotations

import importlib.util
import os
import sys

# Set by the worker: this process will only ever use one framework.
single_framework_process = False


def torch():
    """Import and return torch, set up for speed on the CPU."""
    import torch as torch_module
    import torch._dynamo  # noqa: F401  (see the module docstring)

    # Denormal floats slow CPU kernels several times over (seen here on Faster R-CNN).
    torch_module.set_flush_denormal(True)
    if single_framework_process:
        # Workers share the cores: two workers with two threads each on two cores
        # slowed small models several times over here (OpenMP threads spin-wait).
        from core import config

        torch_module.set_num_threads(max(1, (os.cpu_count() or 1) // config.max_workers()))
    return torch_module


def tensorflow():
    """Import and return tensorflow, after torch unless this process is single-framework."""
    if "tensorflow" not in sys.modules:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        if not single_framework_process and importlib.util.find_spec("torch") is not None:
            torch()
    import tensorflow as tensorflow_module

    # TensorFlow takes the whole GPU by default; growth lets torch and the app share it.
    for gpu in tensorflow_module.config.list_physical_devices("GPU"):
        try:
            tensorflow_module.config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:
            pass  # Already initialised in this process: growth was set the first time.
    return tensorflow_module


def keras():
    """Import and return keras (on TensorFlow)."""
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    tensorflow()
    import keras as keras_module

    return keras_module
