"""Times Python trafilatura on a list of HTML files (one process, one core).

Usage: python run_trafilatura.py FILE_LIST [REPEAT]
Prints: pages, wall seconds and CPU seconds (medians of REPEAT runs),
pages/s of CPU time. CPU time is what "per core" means on a shared,
loaded machine; wall time is printed beside it.
"""
import statistics
import sys
import time

import trafilatura


def main() -> None:
    files = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    pages = [open(f, "rb").read() for f in files]
    walls, cpus = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for html in pages:
            trafilatura.extract(html)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    wall, cpu = statistics.median(walls), statistics.median(cpus)
    print(f"{len(pages)} {wall:.3f} {cpu:.3f} {len(pages) / cpu:.1f}")


if __name__ == "__main__":
    main()
