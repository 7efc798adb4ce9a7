"""Makes the shared `testkit` package importable from every system test folder."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
