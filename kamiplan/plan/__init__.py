"""The plan: its document parsed into tables (parser, curation, errata, build) and read back (schema, db, queries)."""
