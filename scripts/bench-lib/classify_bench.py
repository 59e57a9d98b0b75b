"""Times `giamngheo classify` file to file against DuckDB running the same rules as one SQL query
on the same files, in the same run; checks both write the same records; measures peak memory.

usage: classify_bench.py GIAMNGHEO DATA_DIR [RUNS]
DATA_DIR holds households.csv and members.csv. Prints a Markdown table.
"""
import os
import pathlib
import statistics
import subprocess
import sys
import time

giamngheo, data, runs = sys.argv[1], pathlib.Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 3
here = pathlib.Path(__file__).resolve().parent
root = here.parent.parent
households, members = data / "households.csv", data / "members.csv"
ours_out, duck_out = data / "classified.csv", data / "classified-duckdb.csv"


def run(cmd):
    """Wall seconds and peak resident memory (MiB) of one process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{cmd[0]} failed: {err}")
    return wall, usage.ru_maxrss / 1024, out


ours_cmd = [giamngheo, "classify", "--households", str(households), "--members", str(members), "-o", str(ours_out)]
duck_cmd = [sys.executable, str(here / "classify_duckdb.py"), str(households), str(members),
            str(root / "data" / "admin-units-2025.csv"), str(duck_out)]

ours, duck, duck_query, ours_rss, duck_rss = [], [], [], [], []
for _ in range(runs):
    w, rss, _ = run(ours_cmd)
    ours.append(w)
    ours_rss.append(rss)
    w, rss, out = run(duck_cmd)
    duck.append(w)
    duck_rss.append(rss)
    duck_query.append(float(out.strip()))

same = ours_out.read_bytes() == duck_out.read_bytes()
size = (households.stat().st_size + members.stat().st_size) / 1e6
n = sum(1 for _ in open(households, "rb")) - 1
m = sum(1 for _ in open(members, "rb")) - 1
o, d, q = statistics.median(ours), statistics.median(duck), statistics.median(duck_query)
print(f"| input | {n:,} households, {m:,} members, {size:,.0f} MB of CSV |")
print("|---|---|")
print(f"| giamngheo classify, file to file (median of {runs}) | {o:.2f} s, peak {max(ours_rss):.0f} MiB |")
print(f"| DuckDB {__import__('duckdb').__version__}, same rules in SQL, whole process (median of {runs}) | {d:.2f} s, peak {max(duck_rss):.0f} MiB |")
print(f"| DuckDB query alone, without interpreter start-up | {q:.2f} s |")
print(f"| ratio DuckDB query / giamngheo | **{q / o:.2f}x** |")
print(f"| same records, byte for byte | {'yes' if same else 'NO'} |")
if not same:
    sys.exit("the two outputs differ")
