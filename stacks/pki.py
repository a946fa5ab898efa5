"""The PKI: a root CA, an intermediate CA that signs, and service certificates.

Private keys exist only as secret outputs (the TLS provider marks them secret; we also list them
in ``additional_secret_outputs`` so the policy pack can see it). The root key signs only the
intermediate; service certificates are signed by the intermediate.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pulumi
import pulumi_tls as tls

__all__ = ["KEY_SECRETS", "Pki", "PkiArgs", "ServiceCertificate", "ServiceCertificateArgs"]

KEY_SECRETS = ["privateKeyPem", "privateKeyOpenssh", "privateKeyPemPkcs8"]

_CA_USES = ["cert_signing", "crl_signing", "digital_signature"]
_SERVER_USES = ["digital_signature", "key_encipherment", "server_auth"]


@dataclass
class PkiArgs:
    organisation: pulumi.Input[str]
    """Subject organisation, e.g. "Zweckverband eGo-Saar"."""
    validity_years: pulumi.Input[int]


class Pki(pulumi.ComponentResource):
    """Root and intermediate CA (``landkarte:pki:Pki``)."""

    root_cert_pem: pulumi.Output[str]
    intermediate_cert_pem: pulumi.Output[str]
    intermediate_key_pem: pulumi.Output[str]
    """Secret."""

    def __init__(self, name: str, args: PkiArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("landkarte:pki:Pki", name, {}, opts)
        child = pulumi.ResourceOptions(parent=self, additional_secret_outputs=KEY_SECRETS)
        hours = pulumi.Output.from_input(args.validity_years).apply(lambda y: y * 365 * 24)
        root_key = tls.PrivateKey(f"{name}-root-key", algorithm="ECDSA", ecdsa_curve="P384", opts=child)
        root = tls.SelfSignedCert(
            f"{name}-root-ca", private_key_pem=root_key.private_key_pem, is_ca_certificate=True,
            subject=tls.SelfSignedCertSubjectArgs(common_name=f"{name} Root CA", organization=args.organisation),
            validity_period_hours=hours, allowed_uses=_CA_USES,
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["privateKeyPem"]),
        )
        inter_key = tls.PrivateKey(f"{name}-intermediate-key", algorithm="ECDSA", ecdsa_curve="P384", opts=child)
        inter_csr = tls.CertRequest(
            f"{name}-intermediate-csr", private_key_pem=inter_key.private_key_pem,
            subject=tls.CertRequestSubjectArgs(common_name=f"{name} Intermediate CA", organization=args.organisation),
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["privateKeyPem"]),
        )
        inter = tls.LocallySignedCert(
            f"{name}-intermediate-ca", cert_request_pem=inter_csr.cert_request_pem,
            ca_private_key_pem=root_key.private_key_pem, ca_cert_pem=root.cert_pem, is_ca_certificate=True,
            validity_period_hours=hours.apply(lambda h: h // 2), allowed_uses=_CA_USES,
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["caPrivateKeyPem"]),
        )
        self.root_cert_pem = root.cert_pem
        self.intermediate_cert_pem = inter.cert_pem
        self.intermediate_key_pem = pulumi.Output.secret(inter_key.private_key_pem)
        self.register_outputs({"root_cert_pem": self.root_cert_pem, "intermediate_cert_pem": self.intermediate_cert_pem,
                               "intermediate_key_pem": self.intermediate_key_pem})


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
