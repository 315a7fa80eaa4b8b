"""How the build shares its work between processes, behind two calls: `workers` and `aside`.

The steps (pipeline.py) say what to compute; this module says where it runs, and why so:

- Workers are forked, not spawned, once the state they check against (the registry of
  sources and entities) is loaded: they inherit it (`inherited`) instead of loading it
  again. The collector is frozen before the fork, so that it does not touch, and so copy,
  the inherited objects; in the workers it runs less often, since a task makes tens of
  thousands of objects that die by reference counting when it ends, and the default
  threshold (700) traverses them again and again for nothing (5% of a fact file's time).
- Results come back in task order, with a bounded window of tasks in flight: the output
  does not depend on the number of workers, and memory stays flat even when the main
  process (inserting rows) is slower than the workers (checking them).
- A second, lower-priority process (`aside`) does work whose result is needed only later:
  the main process's steps are the longer chain, so they take a core whenever they can
  and the second process fills the rest.

With one job, everything runs in this process, lazily, in the same order.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import gc
import itertools
import multiprocessing
import multiprocessing.pool
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

Task = TypeVar("Task")
Result = TypeVar("Result")
State = TypeVar("State")
InWorkers = Callable[[Callable[[Task], Result], Iterable[Task]], Iterator[Result]]

# The collector's threshold in the workers (see the module's docstring).
_WORKER_GC_THRESHOLD = 100_000
# How many tasks per worker may be in flight: enough to keep every worker busy.
_WINDOW_PER_JOB = 2
# The second process's niceness: below the main process and its workers.
_ASIDE_NICENESS = 10

# What the workers' tasks read (`inherited`): set before they are forked, so they inherit it.
_state: object = None


def job_count(jobs: int | None) -> int:
    """How many processes may work at once: as asked, else one per core."""
    return jobs or os.cpu_count() or 1


def inherited(kind: type[State]) -> State:
    """The state given to the innermost `workers` block, in a task (in a worker or not)."""
    assert isinstance(_state, kind), f"a task asked for a {kind.__name__} outside a workers() block"
    return _state


@contextlib.contextmanager
def workers(state: object, jobs: int | None) -> Iterator[InWorkers]:
    """A way to run tasks in `jobs` forked worker processes (1: in this one), results in task
    order. The tasks read `state` with `inherited`; each call of the yielded function starts its
    first tasks at once and returns an iterator of their results. The workers stop when the
    block ends."""
    global _state
    _state = state
    jobs = job_count(jobs)
    if jobs == 1:
        yield map
        return
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs, initializer=gc.set_threshold, initargs=(_WORKER_GC_THRESHOLD,)) as pool:
            yield functools.partial(_in_order, pool, window=_WINDOW_PER_JOB * jobs)
    finally:
        gc.unfreeze()


def _in_order(
    pool: multiprocessing.pool.Pool, function: Callable[[Task], Result], tasks: Iterable[Task], window: int
) -> Iterator[Result]:
    """Results in task order, with at most `window` tasks in flight: memory stays flat
    even when using the results is slower than making them. The first tasks start at once."""
    remaining = iter(tasks)
    pending = collections.deque(pool.apply_async(function, (task,)) for task in itertools.islice(remaining, window))

    def results() -> Iterator[Result]:
        while pending:
            result = pending.popleft().get()
            for task in itertools.islice(remaining, 1):
                pending.append(pool.apply_async(function, (task,)))
            yield result

    return results()


@contextlib.contextmanager
def aside(
    function: Callable[..., Result], arguments: tuple[Any, ...], jobs: int | None
) -> Iterator[Callable[[], Result]]:
    """Start `function(*arguments)` in a forked process of its own at a lower priority (with one
    job: in this one, when waited for). Yields a function that waits for it, returning what it
    returns and raising what it raised. Leaving the block stops the process."""
    if job_count(jobs) == 1:
        yield functools.partial(function, *arguments)
        return
    with multiprocessing.get_context("fork").Pool(1, initializer=os.nice, initargs=(_ASIDE_NICENESS,)) as pool:
        yield pool.apply_async(function, arguments).get
