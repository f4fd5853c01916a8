"""Working days (PRM-07)."""
