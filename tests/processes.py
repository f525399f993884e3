"""The machine's processes, read from /proc: what the tests check for leftovers
of a sandbox (kernels under its uids, launchers, zygotes)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Proc:
    pid: int
    uid: int
    ppid: int
    state: str          # "Z": a zombie, dead but not yet reaped
    cmd: str

    @property
    def environ(self) -> bytes:
        try:
            return Path(f"/proc/{self.pid}/environ").read_bytes()
        except OSError:
            return b""

    def __str__(self) -> str:
        return f"pid {self.pid} uid {self.uid}: {self.cmd[:150]}"


def processes() -> list[Proc]:
    """Every process but this one (those that end while being read are left out)."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit() or int(name) == os.getpid():
            continue
        try:
            uid = os.stat(f"/proc/{name}").st_uid
            state, ppid = Path(f"/proc/{name}/stat").read_text().rsplit(")", 1)[1].split()[:2]
            cmd = Path(f"/proc/{name}/cmdline").read_bytes().replace(b"\0", b" ")
        except (OSError, ValueError):
            continue
        out.append(Proc(int(name), uid, int(ppid), state, cmd.decode(errors="replace").strip()))
    return out
