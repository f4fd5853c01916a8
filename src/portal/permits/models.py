"""Procedures, applications, steps and deficiency records (PRM-01 to PRM-12)."""
