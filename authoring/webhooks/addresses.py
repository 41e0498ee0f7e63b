"""Which addresses a webhook may be sent to: http(s) only, and, unless WEBHOOKS_ALLOW_PRIVATE, public ones.

An endpoint's URL is typed by a member, and the server then posts to it: without a check,
a member could make the server call its own network (a database admin page, a cloud
metadata address such as 169.254.169.254). So a URL must be http or https, without
credentials, and its host must resolve to public addresses only - checked when the URL is
saved, and again at every delivery, whose connection then goes to the very address that
was checked (a name that resolves elsewhere a second later gains nothing). Redirects are
never followed. WEBHOOKS_ALLOW_PRIVATE lets development and tests use a local receiver.
"""
from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from ..models.webhook import URL_MAX

SCHEMES = {"http": 80, "https": 443}


class AddressRefused(ValueError):
    """The URL may not receive webhooks; the message says why, in the interface language."""


@dataclass(frozen=True)
class Target:
    """Where a delivery goes: scheme, host (as in the URL, IDNA-encoded), port and the path with its query."""

    scheme: str
    host: str
    port: int
    path: str


def allow_private() -> bool:
    return bool(current_app.config.get("WEBHOOKS_ALLOW_PRIVATE"))


def parse_endpoint_url(url: str) -> Target:
    """The URL's parts, or AddressRefused when it is not an http(s) address a webhook can go to."""
    url = (url or "").strip()
    if not url:
        raise AddressRefused(_("Enter the address your system receives webhooks at."))
    if len(url) > URL_MAX:
        raise AddressRefused(_("The address is longer than %(max)d characters.", max=URL_MAX))
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        raise AddressRefused(_("The address contains spaces or control characters."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused(_("This is not a valid web address.")) from None
    if parts.scheme.lower() not in SCHEMES:
        raise AddressRefused(_("The address must start with https:// (or http://)."))
    if not parts.hostname:
        raise AddressRefused(_("The address has no host name."))
    if parts.username is not None or parts.password is not None:
        raise AddressRefused(_("Leave the user name and password out of the address; deliveries are signed instead."))
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError:
        raise AddressRefused(_("The host name of the address is not valid.")) from None
    rest = parts.path or "/"
    if parts.query:
        rest += "?" + parts.query
    if not rest.isascii():
        raise AddressRefused(_("Write the path of the address in ASCII, with percent-encoding for other characters."))
    scheme = parts.scheme.lower()
    return Target(scheme, host, port or SCHEMES[scheme], rest)


_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))


def is_public(address: str) -> bool:
    """True for an address on the public internet (not private, loopback, link-local, reserved, multicast)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone ("fe80::1%eth0") is link-local anyway
    if isinstance(ip, ipaddress.IPv6Address):
        # An IPv4 address carried inside an IPv6 one (mapped, 6to4, NAT64) is judged as itself:
        # 64:ff9b::a9fe:a9fe reaches 169.254.169.254 wherever a NAT64 gateway translates it.
        if any(ip in network for network in _NAT64):
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
    return ip.is_global and not ip.is_multicast


def addresses_of(target: Target) -> list[str]:
    """The IP addresses to connect to for `target`: resolved now, each one public unless private ones are allowed."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise AddressRefused(_("The host name %(host)s cannot be found.", host=target.host)) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise AddressRefused(_("The host name %(host)s cannot be found.", host=target.host))
    if not allow_private() and not all(is_public(address) for address in addresses):
        raise AddressRefused(_("The address leads to a private or local network; webhooks go to public "
                               "addresses only."))
    return addresses


def check_endpoint_url(url: str) -> str:
    """The URL (trimmed) when webhooks may be sent to it now; else AddressRefused saying why.

    With WEBHOOKS_ALLOW_PRIVATE the host is not looked up: any http(s) URL is accepted.
    """
    target = parse_endpoint_url(url)
    if not allow_private():
        addresses_of(target)
    return url.strip()
