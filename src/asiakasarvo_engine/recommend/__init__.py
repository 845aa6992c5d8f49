"""Recommendations: triggering, prioritization and the development-plan skeleton."""
