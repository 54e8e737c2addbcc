// The benchmark executable; filled in by the benchmark issue.
print("hotline-bench: no benchmarks yet")
