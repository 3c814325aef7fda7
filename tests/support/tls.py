"""Throwaway TLS material for tests: a CA and a server certificate made with the `openssl` CLI, for `localhost` and
`127.0.0.1` unless told otherwise.

    @pytest.fixture(scope="session")
    def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
        return make_certificates(tmp_path_factory.mktemp("tls"))
"""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# A day is plenty for a test session; EC keys are made in milliseconds.
DAYS = "1"
KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


@dataclass(frozen=True)
class Certificates:
    """A CA certificate (what clients trust) and a server certificate it signed, with the server's key."""

    ca: Path
    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        """For the server side of a connection (aiosmtpd's `tls_context` or `ssl_context`)."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, self.key)
        return context


def make_certificates(
    directory: Path,
    *,
    ca_name: str = "Journey test CA",
    dns: Sequence[str] = ("localhost",),
    ips: Sequence[str] = ("127.0.0.1",),
) -> Certificates:
    """A new CA in `directory` and a server certificate for `dns` and `ips` signed by it (files `ca.crt`, `ca.key`,
    `server.crt`, `server.key`). Each call makes a CA of its own: certificates of two calls do not trust each other."""
    directory.mkdir(parents=True, exist_ok=True)
    ca, ca_key = directory / "ca.crt", directory / "ca.key"
    cert, key, request = directory / "server.crt", directory / "server.key", directory / "server.csr"
    _openssl(
        "req", "-x509", *KEY, "-keyout", ca_key, "-out", ca, "-days", DAYS, "-subj", f"/CN={ca_name}",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    names = [f"DNS:{name}" for name in dns] + [f"IP:{ip}" for ip in ips]
    extensions = directory / "server.ext"
    extensions.write_text(
        f"subjectAltName={','.join(names)}\n"
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectKeyIdentifier=hash\n"
        "authorityKeyIdentifier=keyid\n"
    )
    _openssl("req", "-new", *KEY, "-keyout", key, "-out", request, "-subj", f"/CN={(list(dns) or list(ips))[0]}")
    _openssl(
        "x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-days", DAYS,
        "-extfile", extensions, "-out", cert,
    )  # fmt: skip
    return Certificates(ca=ca, cert=cert, key=key)


def _openssl(*args: str | Path) -> None:
    result = subprocess.run(["openssl", *map(str, args)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"openssl {args[0]} failed: {result.stderr.strip()}")


__all__ = ["Certificates", "make_certificates"]
