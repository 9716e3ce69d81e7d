"""ParkBridge: cooperation platform for university technology parks and their partners."""

import os as _os

# numpy's OpenBLAS threads spin after each product and then fight the embedding model's own
# threads for the same cores: on two cores that made one free-text match in twenty take
# 140 ms instead of 50. The products ParkBridge computes (one query against the stored
# vectors) are limited by memory, not by cores. See docs/benchmarks.md.
_os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
