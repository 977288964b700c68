"""Time and memory of loading a folder of 5,000 large JPEGs. Target: peak RSS <= 2048 MB.

Generates --files JPEGs (default 5,000 of 1600x1200, smooth random colours with a little
grain, in 5 class folders) into --folder, outside the repository, once: files already
there are kept. Then, each in a fresh process with an empty cache directory shared by
both, core.data.folders.load_folder(folder, image_size=64) runs cold (every file decoded)
and warm (from the cache); each process reports its seconds, its CPU seconds (steadier
than wall time on a shared machine) and its peak RSS (VmHWM).

    .venv/bin/python benchmarks/large_folder.py [--folder /tmp/dllab-large-folder] [--files 5000] [--workers 2]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
TARGET_MB = 2048
CLASS_COUNT = 5
WIDTH, HEIGHT = 1600, 1200
GRAIN_LAYERS = 4  # Grain images made once per generating process and reused.
_grain = []


def _write_jpeg(job: tuple[Path, int, int]) -> int:
    """One smooth random picture, tinted by its class, with grain so it weighs like a photo."""
    import numpy as np
    from PIL import Image, ImageChops

    path, class_index, seed = job
    if not _grain:
        _grain.extend(Image.merge("RGB", [Image.effect_noise((WIDTH, HEIGHT), 5)] * 3) for _ in range(GRAIN_LAYERS))
    generator = np.random.default_rng(seed)
    small = generator.integers(0, 256, (6, 8, 3)).astype(np.float64)
    small[..., class_index % 3] = 0.5 * small[..., class_index % 3] + 127
    picture = Image.fromarray(small.astype(np.uint8)).resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC)
    picture = ImageChops.add(picture, _grain[seed % GRAIN_LAYERS], offset=-128)
    partial = path.with_suffix(".partial")
    picture.save(partial, "JPEG", quality=88)
    partial.rename(path)  # A stopped run leaves no half-written JPEG behind.
    return path.stat().st_size


def generate(folder: Path, file_count: int, workers: int) -> tuple[int, float]:
    """Write the missing JPEGs; returns how many were written and the seconds it took."""
    jobs = []
    for index in range(file_count):
        class_index = index % CLASS_COUNT
        path = folder / f"class_{class_index}" / f"{index:05d}.jpg"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            jobs.append((path, class_index, index))
    start = time.perf_counter()
    if jobs:
        with multiprocessing.Pool(workers) as pool:
            for done, _ in enumerate(pool.imap_unordered(_write_jpeg, jobs, chunksize=16), 1):
                if done % 500 == 0:
                    print(f"  generated {done}/{len(jobs)}", file=sys.stderr, flush=True)
    return len(jobs), time.perf_counter() - start


def measure(folder: Path, image_size: int) -> None:
    """In the child process: load the folder and print seconds and peak RSS as JSON."""
    sys.path.insert(0, str(REPOSITORY_ROOT))
    from core.data import folders

    start, cpu_start = time.perf_counter(), time.process_time()
    pool = folders.load_folder(folder, image_size=image_size)
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    status = Path("/proc/self/status").read_text()
    peak_kb = int(next(line for line in status.splitlines() if line.startswith("VmHWM:")).split()[1])
    print(json.dumps({"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_rss_mb": peak_kb / 1024, "images": len(pool.labels), "source": pool.source}))


def _load_in_child(folder: Path, image_size: int, cache: Path) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--measure", "--folder", str(folder), "--image-size", str(image_size)],
        env={**os.environ, "DLLAB_CACHE": str(cache)}, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(f"the loading process failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--folder", type=Path, default=Path(tempfile.gettempdir()) / "dllab-large-folder")
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--image-size", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    folder = arguments.folder.resolve()
    if arguments.measure:
        measure(folder, arguments.image_size)
        return 0
    if folder.is_relative_to(REPOSITORY_ROOT):
        raise SystemExit(f"--folder must be outside the repository, got {folder}")

    written, generation_seconds = generate(folder, arguments.files, arguments.workers)
    files = sorted(folder.rglob("*.jpg"))
    megabytes = sum(path.stat().st_size for path in files) / 1024**2
    print(f"folder {folder}: {len(files)} JPEGs of {WIDTH}x{HEIGHT}, {megabytes:.0f} MB "
          f"({written} generated in {generation_seconds:.1f} s)", flush=True)
    load_before = os.getloadavg()[0]
    cache = Path(tempfile.mkdtemp(prefix="dllab-folder-cache-"))
    try:
        cold = _load_in_child(folder, arguments.image_size, cache)
        warm = _load_in_child(folder, arguments.image_size, cache)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    peak = max(cold["peak_rss_mb"], warm["peak_rss_mb"])
    verdict = "PASS" if peak <= TARGET_MB else "FAIL"
    print(f"source: {cold['source']}")
    # Other work on the machine slows the cold load; it does not change the memory figures.
    print(f"load average (1 min) before {load_before:.2f}, after {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"files={len(files)} images={cold['images']} cold_s={cold['seconds']:.1f} cold_cpu_s={cold['cpu_seconds']:.1f} warm_s={warm['seconds']:.2f} "
          f"cold_peak_rss_mb={cold['peak_rss_mb']:.0f} warm_peak_rss_mb={warm['peak_rss_mb']:.0f} "
          f"target_mb={TARGET_MB} ratio={peak / TARGET_MB:.2f} {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
