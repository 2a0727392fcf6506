"""``python -m lib.lab``: see `lib.lab.cli`."""

import sys

from lib.lab.cli import main

sys.exit(main())
