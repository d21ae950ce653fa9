"""``python -m pkcs12kit`` runs the pkcs12kit command (see `pkcs12kit.cli`)."""

import sys

from .cli import main

sys.exit(main())
