import sys

from core.runs.cli import main

sys.exit(main())
