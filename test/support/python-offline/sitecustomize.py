"""Loopback-only fence for every Python process the client tests start.

test/support/python-env.ts puts this folder on PYTHONPATH, so Python imports this module at start-up. It refuses
name lookups, connections, datagrams and binds aimed anywhere but loopback, before they happen, and says so on
stderr: libraries often swallow network errors (LiteLLM falls back quietly when its price-list download fails), and
the line lets a test see the attempt anyway.

It sees what goes through Python's socket module (httpx, urllib3/botocore, asyncio's default loop). Native code that
opens its own sockets (uvloop's resolver and connections, Rust extensions) bypasses it.
"""

import ipaddress
import sys

BLOCKED_MARKER = "python-offline-guard: blocked"
LOOPBACK_NAMES = frozenset({"localhost", "localhost."})
ADDRESS_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.bind"})
HOST_EVENTS = frozenset(
    {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex", "socket.gethostbyaddr"}
)


def _is_loopback(host):
    # No host (or an empty one) means a passive lookup or "this machine": nothing leaves it.
    if not host:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _destination(event, args):
    if event in HOST_EVENTS:
        return args[0]
    if event in ADDRESS_EVENTS:
        address = args[1]
        # Unix-socket paths and sendto without an address go nowhere on the network.
        return address[0] if isinstance(address, tuple) else None
    return None


def _fence(event, args):
    if event not in HOST_EVENTS and event not in ADDRESS_EVENTS:
        return
    host = _destination(event, args)
    if _is_loopback(host):
        return
    sys.stderr.write(f"{BLOCKED_MARKER} {event} {host!r}\n")
    raise PermissionError(f"{BLOCKED_MARKER} {event} {host!r}: the client tests stay on loopback")


sys.addaudithook(_fence)
