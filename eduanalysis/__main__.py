"""``python -m eduanalysis`` is the ``eduanalysis`` command."""

import sys

from .cli import main

sys.exit(main())
