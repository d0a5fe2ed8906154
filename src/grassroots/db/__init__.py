"""Database glue of our own (not an app): the SQLite backend that keeps its files private."""
