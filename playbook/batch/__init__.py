"""Batch reports: the plan of jobs, warm-kernel workers, isolation between notebooks, rendering."""
