"""``python -m kamiplan``."""

from kamiplan.cli import main

raise SystemExit(main())
