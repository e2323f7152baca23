"""Benchmarks for the budgets the issues name. Run with ``make bench``; they print figures."""
