"""The address of the person at the other end, the one every lockout, rate limit and audit row
counts under.

Behind a reverse proxy REMOTE_ADDR is the proxy's: every visitor would share one address, so
ten wrong tries by one person would lock out everyone else (a stalker could lock a victim out).
The proxy adds the address it saw to a header (X-Forwarded-For by default); a visitor can put
anything they like at the start of that header, so it is read from the right, skipping only
hops that are proxies we were told to trust (VIGIL_TRUSTED_PROXIES). The first hop that is not
one of ours is the client. Without trusted proxies the header is ignored: trusting it would let
anyone choose their own address and walk past every limit.

Addresses are kept only as keyed hashes (`client_address_hash`): an address can place a victim
at a refuge or a friend's home, so a copy of the database must not show where anyone was.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings
from django.http import HttpRequest

from vigil.common.crypto import blind_index

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

_ATTRIBUTE = "client_address"


@cache
def _trusted_proxies(values: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    # Checked at startup (vigil.env.env_networks), so every value parses.
    return tuple(ipaddress.ip_network(value, strict=False) for value in values)


def _header_key(name: str) -> str:
    """The WSGI name of a header: X-Forwarded-For is HTTP_X_FORWARDED_FOR."""
    return "HTTP_" + name.strip().upper().replace("-", "_")


def _parse_address(value: str) -> IPAddress | None:
    """One hop as proxies write it: "192.0.2.1", "192.0.2.1:5000", "[2001:db8::1]:443"."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].split("]", 1)[0]
    elif value.count(":") == 1:  # IPv4 with a port; IPv6 has more than one colon
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _is_trusted(address: IPAddress, trusted: tuple[IPNetwork, ...]) -> bool:
    return any(address in network for network in trusted)


def is_from_trusted_proxy(request: HttpRequest) -> bool:
    """Whether the connection itself came from one of our proxies (only then are the headers
    a proxy writes believed: the client's address, and X-Forwarded-Proto)."""
    if not settings.VIGIL_BEHIND_PROXY:
        return False
    remote = _parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    trusted = _trusted_proxies(tuple(settings.VIGIL_TRUSTED_PROXIES))
    return remote is not None and _is_trusted(remote, trusted)


def resolve_client_address(request: HttpRequest) -> str | None:
    """Work out the client's address from REMOTE_ADDR and, only when the request came through a
    trusted proxy, the forwarding header read right to left."""
    remote = _parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    if remote is None:
        return None
    if not settings.VIGIL_BEHIND_PROXY:
        return str(remote)
    trusted = _trusted_proxies(tuple(settings.VIGIL_TRUSTED_PROXIES))
    if not trusted or not _is_trusted(remote, trusted):
        return str(remote)
    hops = str(request.META.get(_header_key(settings.VIGIL_CLIENT_ADDRESS_HEADER), "")).split(",")
    client = remote
    for hop in reversed(hops):
        address = _parse_address(hop)
        if address is None:
            # Garbage where an address should be: something a visitor wrote, not one of our
            # proxies. The last address a trusted proxy vouched for is the best we know.
            break
        client = address
        if not _is_trusted(address, trusted):
            break
    return str(client)


def client_address(request: HttpRequest) -> str | None:
    """The client's address for this request (worked out once, by RequestContextMiddleware)."""
    if not hasattr(request, _ATTRIBUTE):
        setattr(request, _ATTRIBUTE, resolve_client_address(request))
    address: str | None = getattr(request, _ATTRIBUTE)
    return address


def axes_client_ip(request: HttpRequest) -> str | None:
    """django-axes' AXES_CLIENT_IP_CALLABLE: staff sign-in lockout counts the same address."""
    return client_address(request)


def client_address_hash(address: str | None, *, purpose: str) -> str:
    """A keyed hash of an address (HMAC with the blind-index key): equal addresses give equal
    hashes, so limits can count them, but the address cannot be read back from it. `purpose`
    keeps the hashes kept for one use from being matched against another's."""
    return blind_index(address or "unknown", purpose=purpose)
