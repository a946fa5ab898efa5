"""The synthetic offline-root and intermediate certificates the stack tests configure (tests/data/pki/README.md)."""

from pathlib import Path

PKI = Path(__file__).resolve().parents[1] / "data" / "pki"
PKI_CONFIG = {"rootCaCertFile": str(PKI / "root-ca.pem"), "intermediateCaCertFile": str(PKI / "intermediate-ca.pem")}
