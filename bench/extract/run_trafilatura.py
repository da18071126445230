"""Times Python trafilatura on a list of HTML files (one process, one core).

Usage: python run_trafilatura.py FILE_LIST [REPEAT]
Prints: pages, seconds (median of REPEAT runs), pages/s.
"""
import statistics
import sys
import time

import trafilatura


def main() -> None:
    files = [l.strip() for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    pages = [open(f, "rb").read() for f in files]
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for html in pages:
            trafilatura.extract(html)
        runs.append(time.perf_counter() - t0)
    secs = statistics.median(runs)
    print(f"{len(pages)} {secs:.3f} {len(pages) / secs:.1f}")


if __name__ == "__main__":
    main()
