"""Batch reports: plan (checks, jobs, answers snapshots), manifest, executors (the local pool),
the warm-kernel worker, isolation between notebooks, rendering; `runner.build_reports` runs them."""
