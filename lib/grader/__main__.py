"""``python -m lib.grader``: see `lib.grader.cli`."""

import sys

from lib.grader.cli import main

sys.exit(main())
