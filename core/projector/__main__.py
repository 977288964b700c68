import sys

from core.projector.cli import main

sys.exit(main())
