"""Two workers sharing Redis against one, in the same run: does a second worker, with the core it
runs on, bring the page loads a second near twice?

On one machine this client and redis-server share the cores with the workers, so the two are
compared as deployments of their size: one worker, its redis-server and this client confined to
one core; two workers, theirs and this client on two cores. Both are served for the whole run
(the one not being measured idles) with the same demo data, built and driven as load.py does.
For each route and round: the one worker offered `--rate` new tabs a second, then the two
offered twice that, each for `--seconds` (each is offered more than it completes, so each shows
its ceiling; a row says so when it was not).

    .venv/bin/python benchmarks/scaling.py [--rate 150] [--seconds 10] [--rounds 3] [--routes / /gigs/{gig}]

Prints each ramp's rows (p50/p95/p99, errors, completed loads a second, server CPU per load) and
a table: completed page loads a second of two workers over one worker's, per route and round.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.load import Names, Options, Served, serve_app, server_log_problems, throughput  # noqa: E402

# A deployment whose ramp completes this share of what it was offered was not saturated: its
# figure is what the client offered, not what it can do.
SATURATED = 0.95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=float, default=150, help="new tabs a second offered to one worker (two: twice that)")
    parser.add_argument("--seconds", type=float, default=10, help="length of each ramp")
    parser.add_argument("--rounds", type=int, default=3, help="ramps per route and deployment")
    parser.add_argument("--routes", nargs="+", default=["/", "/gigs/{gig}"], help="pages to load ({gig}: an open gig's id)")
    args = parser.parse_args()
    cores = sorted(os.sched_getaffinity(0))
    if len(cores) < 2:
        raise SystemExit("scaling.py needs two cores")
    Options.redis = True  # one worker on Redis too: the same store the two share
    one_core, two_cores = set(cores[:1]), set(cores[:2])

    base = Path(tempfile.mkdtemp(prefix="microgigs-scaling-"))
    try:
        with ExitStack() as stack:
            # Processes keep the cores they were started on (granian's workers and redis-server too).
            one = start(stack, args, base / "one", workers=1, cores=one_core)
            two = start(stack, args, base / "two", workers=2, cores=two_cores)
            measure(args, (one, one_core), (two, two_cores))
    finally:
        shutil.rmtree(base, ignore_errors=True)


def start(stack: ExitStack, args, base: Path, workers: int, cores: set[int]) -> tuple[Served, int]:
    os.sched_setaffinity(0, cores)
    base.mkdir()
    app_args = argparse.Namespace(workers=workers, people=0, mix_seconds=0, approvals=0)
    served, cast = stack.enter_context(serve_app(app_args, base))
    served.name = f"{workers} worker{'s' if workers > 1 else ''} on {len(cores)} core{'s' if len(cores) > 1 else ''}"
    return served, cast.open_gigs[0]


def measure(args, one_on: tuple[tuple[Served, int], set[int]], two_on: tuple[tuple[Served, int], set[int]]) -> None:
    names = Names.of_the_app()
    rows = []
    for route_pattern in args.routes:
        route = names.gig_route if "{gig}" in route_pattern else None
        kind = f"page load {route or route_pattern}"
        for (served, gig), cores in (one_on, two_on):
            os.sched_setaffinity(0, cores)
            served.settle([(route_pattern.replace("{gig}", str(gig)), route)])
        for round_number in range(1, args.rounds + 1):
            completed = []
            for ((served, gig), cores), rate in ((one_on, args.rate), (two_on, 2 * args.rate)):
                os.sched_setaffinity(0, cores)  # this client shares the deployment's cores
                ramp_args = argparse.Namespace(rate=rate, seconds=args.seconds)
                fig = served.ramp(ramp_args, route_pattern.replace("{gig}", str(gig)), route, kind)
                done = throughput(fig, kind)
                completed.append((done, done >= SATURATED * rate))
            rows.append((kind, round_number, completed))
    print()
    for (served, _), _ in (one_on, two_on):
        server_log_problems(served.name, served.log, served.log_path)
    summary(args, rows)


def summary(args, rows) -> None:
    print(f"\n== Two workers sharing Redis against one (one offered {args.rate:g} new tabs/s, two {2 * args.rate:g}) ==")
    print(f"  {'page':<28} {'round':>5} {'1 worker/s':>11} {'2 workers/s':>12} {'ratio':>7}")
    ratios = []
    for kind, round_number, ((one, one_unsaturated), (two, two_unsaturated)) in rows:
        ratio = two / one if one else float("nan")
        ratios.append(ratio)
        notes = [f"{name} not saturated" for name, flag in (("1 worker", one_unsaturated), ("2 workers", two_unsaturated)) if flag]
        print(f"  {kind:<28} {round_number:>5} {one:>11.0f} {two:>12.0f} {ratio:>7.2f}  {'; '.join(notes)}".rstrip())
    if ratios:
        print(f"  median ratio: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main()
