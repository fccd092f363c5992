"""What staff record each year, kept safely: the record store with its change log, file imports and table edits."""
