"""What kamiplan hands out: charts, chart images, the print report, CSV exports, slides and the offline snapshot."""
