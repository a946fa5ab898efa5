"""Connection settings for NetBox, read from the environment (or a ``.env`` file), never from argv.

``LANDKARTE_NETBOX_URL`` and either ``LANDKARTE_NETBOX_TOKEN`` or ``LANDKARTE_NETBOX_TOKEN_FILE`` (a file
holding the token, e.g. the one ``scripts/netbox.sh install`` writes). The token is a ``SecretStr``: its
``repr`` and ``str`` show ``**********``, so it cannot leak through logs or error messages by accident.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from .errors import ConfigError

__all__ = ["NetBoxSettings", "load_settings"]


class NetBoxSettings(BaseSettings):
    """Where NetBox is and how to authenticate."""

    model_config = SettingsConfigDict(
        env_prefix="LANDKARTE_NETBOX_", extra="ignore", frozen=True, use_attribute_docstrings=True
    )

    url: str = Field(min_length=1)
    """Base URL, e.g. ``http://127.0.0.1:8090`` (without ``/api``)."""
    token: SecretStr | None = None
    """API token (v1 40 hex characters, or v2 ``nbt_<key>.<secret>``)."""
    token_file: Path | None = None
    """File holding the token; used when ``token`` is not set."""
    timeout_s: float = Field(default=60.0, gt=0)
    """Timeout of one HTTP request (connect and read)."""
    retries: int = Field(default=8, ge=0, le=20)
    """Retries of a request after a timeout, a refused connection or a 5xx answer."""
    backoff_s: float = Field(default=0.5, ge=0)
    """First back-off; it doubles with each retry, capped at 8 s."""
    batch_size: int = Field(default=100, ge=1, le=1000)
    """Objects per bulk create/update/delete request."""
    write_workers: int = Field(default=2, ge=1, le=8)
    """Bulk requests of one endpoint in flight at once (NetBox's gunicorn serves them side by side)."""

    @field_validator("url")
    @classmethod
    def _plain_http_url(cls, value: str) -> str:
        # The URL is shown in messages: a user name or password in it would be echoed (and requests would
        # send it as Basic auth beside the token). The message never repeats the value.
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:8090")
        if parts.username is not None or parts.password is not None:
            raise ValueError("must not contain a user name or password; put the API token into "
                             "LANDKARTE_NETBOX_TOKEN or LANDKARTE_NETBOX_TOKEN_FILE")
        return value.strip()

    @model_validator(mode="after")
    def _needs_a_token(self) -> NetBoxSettings:
        if self.token is None and self.token_file is None:
            raise ValueError("set LANDKARTE_NETBOX_TOKEN or LANDKARTE_NETBOX_TOKEN_FILE")
        return self

    def secret(self) -> str:
        """The token itself (only for the HTTP header): printable ASCII, or a :class:`ConfigError` that names
        the variable, never the value (an HTTP header cannot carry "ä" or a line break)."""
        if self.token is not None:
            return _header_safe(self.token.get_secret_value().strip(), "LANDKARTE_NETBOX_TOKEN")
        assert self.token_file is not None  # checked by the validator
        try:
            value = self.token_file.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
            raise ConfigError(f"LANDKARTE_NETBOX_TOKEN_FILE {self.token_file}: {reason or exc}") from None
        if not value:
            raise ConfigError(f"LANDKARTE_NETBOX_TOKEN_FILE {self.token_file}: the file is empty")
        return _header_safe(value, f"LANDKARTE_NETBOX_TOKEN_FILE {self.token_file}")


def _header_safe(token: str, where: str) -> str:
    if not all(" " < ch < "\x7f" for ch in token):
        raise ConfigError(f"{where}: the token may hold only printable ASCII characters (letters, digits, "
                          "punctuation), no spaces, umlauts or line breaks")
    return token


def load_settings(**overrides: object) -> NetBoxSettings:
    """Read the settings from the environment; a missing or bad value raises :class:`ConfigError`.

    The message names the environment variable, never its value.
    """
    from pydantic import ValidationError

    try:
        return NetBoxSettings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        parts = []
        for err in exc.errors(include_url=False, include_input=False):
            msg = err["msg"].removeprefix("Value error, ")
            parts.append(f"LANDKARTE_NETBOX_{str(err['loc'][0]).upper()}: {msg}" if err["loc"] else msg)
        raise ConfigError("NetBox settings: " + "; ".join(parts)) from None
