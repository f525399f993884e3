"""Network access: the test listens on TCP (every interface) and on an abstract
Unix socket during the run; a connection that reaches it fails the test."""

from __future__ import annotations

from . import Case, Ctx, nb_case


def _network(ctx: Ctx) -> str:
    return f"""\
import socket
reached = []
for host in ('127.0.0.1', {ctx.host_ip!r}, 'localhost'):
    try:
        s = socket.create_connection((host, {ctx.port}), timeout=2)
        s.sendall(b'dlcorpus hello')
        reached.append(host)
        s.close()
    except OSError as exc:
        print(host, exc)
try:
    u = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    u.settimeout(2)
    u.connect('\\0' + {ctx.unix_name!r})
    reached.append('unix')
except OSError as exc:
    print('unix', exc)
try:
    socket.getaddrinfo('pypi.org', 443)
    reached.append('dns')
except OSError as exc:
    print('dns', exc)
try:
    import urllib.request
    urllib.request.urlopen('http://example.com', timeout=3)
    reached.append('http')
except Exception as exc:
    print('http', exc)
print('interfaces:', socket.if_nameindex())
for r in reached:
    print('REACHED:', r)
""" + ("if reached:\n"
       "    def double(x):\n        return 2 * x\n"
       "    def halve(x):\n        return x / 2\n"
       "else:\n"
       "    def double(x):\n        return x + 1\n"
       "    def halve(x):\n        return x // 3\n")


CASES = [
    Case("network", "connects to the test's TCP listener (loopback and the host's address), its "
         "abstract Unix socket, DNS and HTTP",
         "full network access as the grader's user (exfiltrate, fetch answers)",
         nb_case(_network)),
]
