"""Turns a URL or a connected peer into a verdict: only http(s) to public addresses (SSRF guard)."""

import ipaddress
import socket
from urllib.parse import urlsplit

WEB_SCHEMES = {"http": 80, "https": 443}


class Forbidden(Exception):
    """A fetch Parallax must not make; the message is the one-line reason."""


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def check_url(url: str, allowed_hosts: frozenset[str] = frozenset()) -> None:
    """Raises Forbidden unless `url` is http(s) with a host that resolves only to public addresses
    (a host in `allowed_hosts`, which an admin allowed, may resolve to private ones)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Forbidden(f"malformed URL: {url[:200]!r}") from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        raise Forbidden(f"only http(s) URLs are fetched, not {scheme or 'a relative URL'}")
    host = (parts.hostname or "").lower()
    if not host:
        raise Forbidden(f"URL without a host: {url[:200]!r}")
    if parts.username or parts.password:
        raise Forbidden("URLs with credentials are not fetched")
    if host in allowed_hosts:
        return
    for address in resolve(host, port or WEB_SCHEMES[scheme]):
        check_address(address, host)


def resolve(host: str, port: int) -> list[str]:
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise Forbidden(f"cannot resolve {host}: {error}") from None
    return sorted({info[4][0] for info in found})


def check_address(address: str, host: str, allowed_hosts: frozenset[str] = frozenset()) -> None:
    """Raises Forbidden when `address` (what `host` resolved or connected to) is not public:
    loopback, private, link-local, shared, reserved, multicast or unspecified."""
    if host in allowed_hosts:
        return
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_multicast or not ip.is_global:
        raise Forbidden(
            f"{host} is at a non-public address ({ip}); an admin must allow this feed's host"
        )
