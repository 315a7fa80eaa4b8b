"""Build the fact database: `python build.py --help` lists the commands.

The build itself reads top to bottom in factdb/pipeline.py; this file is the
entry point the README and CI call.
"""

import sys

from factdb.cli import main

if __name__ == "__main__":
    sys.exit(main())
