import sys

from opensel_desktop.cli import main

sys.exit(main())
