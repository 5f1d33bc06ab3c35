"""Who is asking: the client's network address, for throttles and the session list.

X-Forwarded-For is a header anyone can send. It is believed only when the request comes from a
configured trusted proxy (MICROGIGS_TRUSTED_PROXIES), and then read from the right: each
trusted proxy appends the address it saw, so the first address from the right that is not a
trusted proxy is the client. Anything unreadable falls back to the address we saw ourselves.
"""

import ipaddress
from functools import lru_cache

from starlette.requests import HTTPConnection

from microgigs.settings import get_settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _parse_networks(raw: str) -> tuple[Network, ...]:
    networks = []
    for item in raw.split(","):
        item = item.strip()
        if item:
            try:
                networks.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                continue  # a typo must not make every client trusted
    return tuple(networks)


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def listed(address: str, networks: str) -> bool:
    """Is `address` one of `networks` (a setting's comma-separated addresses or networks)?"""
    return _trusted(address, _parse_networks(networks))


def client_address(peer: str, forwarded_for: str | None) -> str:
    """The client's address, given the peer that connected to us and its X-Forwarded-For."""
    networks = _parse_networks(get_settings().trusted_proxies)
    if not forwarded_for or not _trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return peer
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def of_request(request: HTTPConnection) -> str:
    peer = request.client.host if request.client else ""
    return client_address(peer, request.headers.get("x-forwarded-for"))
