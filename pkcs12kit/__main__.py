"""``python -m pkcs12kit`` runs the pkcs12kit command (see `pkcs12kit.cli`)."""

from .cli import run

run()
