"""Interview sessions: an append-only event log, its fold into state, and stores."""
