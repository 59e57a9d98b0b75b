"""Runs the DuckDB baseline of `giamngheo classify`: classify.sql on the same files.

usage: classify_duckdb.py HOUSEHOLDS MEMBERS UNITS OUTPUT
Prints the wall-clock seconds of the query on standard output.
"""
import pathlib
import sys
import time

import duckdb

households, members, units, output = sys.argv[1:5]
sql = (pathlib.Path(__file__).with_name("classify.sql").read_text()
       .replace("{households}", households).replace("{members}", members)
       .replace("{units}", units).replace("{output}", output))
con = duckdb.connect()
start = time.perf_counter()
con.execute(sql)
print(f"{time.perf_counter() - start:.3f}")
