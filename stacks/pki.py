"""The PKI: an offline root CA, one intermediate CA per stack, and service certificates.

The root CA is offline: only its certificate is imported (config ``landkarte:rootCaCertFile``);
its key never enters Pulumi state. The intermediate's key is generated here (a secret in state,
never a stack output) with a CSR (the output ``intermediate_ca_csr_pem``); the offline root signs
it and the signed certificate comes back as ``landkarte:intermediateCaCertFile``. Until it does,
the stack declares no service certificates (``Pki.ready`` is false). Service certificates are
signed by the intermediate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_tls as tls

__all__ = ["KEY_SECRETS", "Pki", "PkiArgs", "ServiceCertificate", "ServiceCertificateArgs"]

KEY_SECRETS = ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"]

_SERVER_USES = ["digital_signature", "key_encipherment", "server_auth"]


@dataclass
class PkiArgs:
    organisation: pulumi.Input[str]
    """Subject organisation, e.g. "Zweckverband eGo-Saar"."""
    root_cert_pem: str | None = None
    """The offline root CA's certificate (imported; its key is never here)."""
    intermediate_cert_pem: str | None = None
    """This stack's intermediate certificate, signed offline by the root from ``csr_pem``."""


class Pki(pulumi.ComponentResource):
    """This stack's intermediate CA under the offline root (``landkarte:pki:Pki``)."""

    root_cert_pem: str | None
    intermediate_cert_pem: str | None
    csr_pem: pulumi.Output[str]
    intermediate_key_pem: pulumi.Output[str]
    """Secret; signs the service certificates; never exported."""

    def __init__(self, name: str, args: PkiArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("landkarte:pki:Pki", name, {}, opts)
        inter_key = tls.PrivateKey(f"{name}-intermediate-key", algorithm="ECDSA", ecdsa_curve="P384",
                                   opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=KEY_SECRETS))
        inter_csr = tls.CertRequest(
            f"{name}-intermediate-csr", private_key_pem=inter_key.private_key_pem,
            subject=tls.CertRequestSubjectArgs(common_name=f"{name} Intermediate CA", organization=args.organisation),
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["privateKeyPem"]),
        )
        self.root_cert_pem = args.root_cert_pem
        self.intermediate_cert_pem = args.intermediate_cert_pem
        self.csr_pem = inter_csr.cert_request_pem
        self.intermediate_key_pem = pulumi.Output.secret(inter_key.private_key_pem)
        self.register_outputs({"csr_pem": self.csr_pem, "ready": self.ready})

    @property
    def ready(self) -> bool:
        """Both certificates imported: service certificates can be signed."""
        return bool(self.root_cert_pem and self.intermediate_cert_pem)


@dataclass
class ServiceCertificateArgs:
    common_name: pulumi.Input[str]
    ca_cert_pem: pulumi.Input[str]
    ca_key_pem: pulumi.Input[str]
    validity_days: pulumi.Input[int]
    ip_addresses: list[pulumi.Input[str]] = field(default_factory=list)


class ServiceCertificate(pulumi.ComponentResource):
    """A server certificate signed by the intermediate CA (``landkarte:pki:ServiceCertificate``)."""

    cert_pem: pulumi.Output[str]
    key_pem: pulumi.Output[str]
    """Secret."""

    def __init__(self, name: str, args: ServiceCertificateArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("landkarte:pki:ServiceCertificate", name, {}, opts)
        key = tls.PrivateKey(f"{name}-key", algorithm="ECDSA", ecdsa_curve="P256",
                             opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=KEY_SECRETS))
        csr = tls.CertRequest(
            f"{name}-csr", private_key_pem=key.private_key_pem, dns_names=[args.common_name],
            ip_addresses=args.ip_addresses, subject=tls.CertRequestSubjectArgs(common_name=args.common_name),
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["privateKeyPem"]),
        )
        cert = tls.LocallySignedCert(
            f"{name}-cert", cert_request_pem=csr.cert_request_pem, ca_private_key_pem=args.ca_key_pem,
            ca_cert_pem=args.ca_cert_pem, allowed_uses=_SERVER_USES,
            validity_period_hours=pulumi.Output.from_input(args.validity_days).apply(lambda d: d * 24),
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["caPrivateKeyPem"]),
        )
        self.cert_pem = cert.cert_pem
        self.key_pem = pulumi.Output.secret(key.private_key_pem)
        self.register_outputs({"cert_pem": self.cert_pem, "key_pem": self.key_pem})
