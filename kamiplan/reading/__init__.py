"""Reading the files and text staff have: CSV/Excel cells, table layouts, dates and eras, amounts with units, name keys."""
