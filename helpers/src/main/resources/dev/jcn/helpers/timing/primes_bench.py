"""Times the notes' prime check on CPython, for comparison with the Java helpers.

Same algorithm (trial division by odd numbers up to the integer square root), same numbers, same models
(sequential, threads, processes with a job queue and poison pills). Prints one line per run:
    RUN <model> <workers> <repeat> <seconds>
"""
import argparse
import math
import sys
import threading
import queue
import multiprocessing
from time import perf_counter


def is_prime(n: int) -> bool:
    if n < 2:
        return False
    if n == 2:
        return True
    if n % 2 == 0:
        return False
    root = math.isqrt(n)
    for i in range(3, root + 1, 2):
        if n % i == 0:
            return False
    return True


def _worker(jobs, results) -> None:
    while n := jobs.get():
        results.put((n, is_prime(n)))
    results.put((0, False))


def _run_pool(numbers, workers, make_queue, start_worker) -> None:
    jobs, results = make_queue(), make_queue()
    for n in numbers:
        jobs.put(n)
    started = []
    for _ in range(workers):
        started.append(start_worker(jobs, results))
        jobs.put(0)
    finished = 0
    while finished < workers:
        n, _prime = results.get()
        if n == 0:
            finished += 1
    for w in started:
        w.join()


def run(model: str, workers: int, numbers) -> None:
    if model == "sequential":
        for n in numbers:
            is_prime(n)
    elif model == "threads":
        def start(jobs, results):
            t = threading.Thread(target=_worker, args=(jobs, results))
            t.start()
            return t
        _run_pool(numbers, workers, queue.SimpleQueue, start)
    elif model == "processes":
        def start(jobs, results):
            p = multiprocessing.Process(target=_worker, args=(jobs, results))
            p.start()
            return p
        _run_pool(numbers, workers, multiprocessing.SimpleQueue, start)
    else:
        raise SystemExit(f"unknown model {model!r}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", required=True)
    parser.add_argument("--workers", required=True)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--numbers", required=True)
    args = parser.parse_args()
    models = [m for m in args.models.split(",") if m and m != "sequential"]
    workers = [int(w) for w in args.workers.split(",")]
    numbers = [int(n) for n in args.numbers.split(",")]
    plan = [("sequential", 1)] + [(m, w) for m in models for w in workers]
    for repeat in range(1, args.repeats + 1):
        for model, count in plan:
            t0 = perf_counter()
            run(model, count, numbers)
            print(f"RUN {model} {count} {repeat} {perf_counter() - t0:.6f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
