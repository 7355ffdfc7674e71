"""Where a webhook may go: https to public addresses; loopback and private addresses (over
http or https) only where the installation allows them (BACKBONE_WEBHOOKS_ALLOW_PRIVATE,
on by default with BACKBONE_DEBUG). Checked when a subscription is saved and again at each
attempt, on the addresses the name resolves to then, and the request goes to the address
checked, so a name that later points inside the network is refused too."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The address may not receive webhooks; the message says why."""


def private_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE", settings.DEBUG))


def is_public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def resolve(host: str, port: int) -> list[Address]:
    """The addresses `host` stands for now; [] when it resolves to none."""
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        return []
    addresses: list[Address] = []
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(sockaddr[0].split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def url_problem(url: str) -> str:
    """Why `url` may not receive webhooks here, in words; "" when it may. A name that does
    not resolve yet is accepted over https (each attempt checks it again)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("Enter a full address, such as https://example.org/backbone-hook.")
    if parts.scheme not in {"https", "http"} or not parts.hostname:
        return _("Enter a full address starting with https://, such as https://example.org/hook.")
    if parts.username or parts.password:
        return _(
            "Leave the user name and password out of the address: the signature proves the sender."
        )
    host = parts.hostname
    addresses = resolve(host, port or (443 if parts.scheme == "https" else 80))
    inside = bool(addresses) and not any(is_public(a) for a in addresses)
    reaches_inside = any(not is_public(a) for a in addresses)
    if parts.scheme == "http":
        if not inside:
            return _(
                "Use https:// for %(host)s: plain http is allowed only to a receiver on this "
                "machine or a private network, and only where the installation allows it."
            ) % {"host": host}
        if not private_allowed():
            return _(
                "Use https://: plain http to a loopback or private address is allowed only in "
                "development (BACKBONE_DEBUG) or with BACKBONE_WEBHOOKS_ALLOW_PRIVATE."
            )
    if reaches_inside and not private_allowed():
        return _(
            "%(host)s is a loopback or private address; this installation sends webhooks only "
            "to public addresses."
        ) % {"host": host}
    return ""


def validate_url(url: str) -> None:
    """The validator the form and the API share."""
    problem = url_problem(url)
    if problem:
        raise ValidationError(problem, code="webhook_url")


def checked_addresses(url: str) -> list[Address]:
    """The addresses to send to, at the moment of sending; Refused if none may be used."""
    problem = url_problem(url)
    if problem:
        raise Refused(problem)
    parts = urlsplit(url)
    addresses = resolve(parts.hostname or "", parts.port or 443)
    if not addresses:
        raise Refused(_("%(host)s could not be resolved.") % {"host": parts.hostname})
    usable = [a for a in addresses if is_public(a) or private_allowed()]
    if not usable:
        raise Refused(_("%(host)s resolves only to private addresses.") % {"host": parts.hostname})
    return usable
