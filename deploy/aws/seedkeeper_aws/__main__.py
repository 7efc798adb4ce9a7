"""`python -m seedkeeper_aws` is the same command as `seedkeeper-aws`."""
import sys

from .cli import main

sys.exit(main())
