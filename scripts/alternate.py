#!/usr/bin/env python3
"""Time shell commands in turn: round after round, each command once per round.

hyperfine runs every run of one command before the next command's, so when the machine's
speed drifts (other tenants of a virtual machine, thermal limits) the drift lands between
the commands and looks like a difference between them. Alternating spreads it over all of
them. Use it to compare two builds, or a build and ripgrep:

    scripts/alternate.py --rounds 16 \\
        "target/release/guidelint check -q --no-config --no-cache target/bench/corpus-100000" \\
        "rg -c '^#' target/bench/corpus-100000"

Some machines page out files not read for a while (a DAMON "pageout" scheme here does so
after about a minute): pass `--prepare "bash scripts/bench.sh --page-in DIR"` so that each run
finds the corpus in the page cache rather than on disk.

Prints, per command, the median wall, user and system time of its runs and its median wall
time as a multiple of the last command's. Output and exit status of the commands are
ignored (guidelint exits with 1 when it has findings).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time


def run(command):
    """Run `command` once: (wall, user, system) seconds."""
    before, start = os.times(), time.perf_counter()
    subprocess.run(
        command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall, after = time.perf_counter() - start, os.times()
    return (
        wall,
        after.children_user - before.children_user,
        after.children_system - before.children_system,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="runs of each command (10)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed rounds first (1)")
    parser.add_argument(
        "--prepare",
        help="shell command run, untimed, before every run (e.g. one that reads the corpus "
        "into the page cache: `bash scripts/bench.sh --page-in DIR`)",
    )
    parser.add_argument("commands", nargs="+", help="shell commands to compare")
    args = parser.parse_args()
    if args.rounds < 1 or args.warmup < 0:
        parser.error("--rounds must be at least 1 and --warmup at least 0")

    def timed(command):
        if args.prepare:
            run(args.prepare)
        return run(command)

    for _ in range(args.warmup):
        for command in args.commands:
            timed(command)
    times = {command: [] for command in args.commands}
    for _ in range(args.rounds):
        for command in args.commands:
            times[command].append(timed(command))
    medians = {
        command: [statistics.median(t[i] for t in runs) for i in range(3)]
        for command, runs in times.items()
    }
    last = medians[args.commands[-1]][0]
    print("| Command | Median wall | User | System | vs last |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for command, (wall, user, system) in medians.items():
        ratio = f"{wall / last:.2f}×" if last > 0 else "–"
        print(
            f"| `{command}` | {wall * 1000:,.0f} ms | {user * 1000:,.0f} ms "
            f"| {system * 1000:,.0f} ms | {ratio} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
