"""Kernel clients that know at once when a kernel is ready.

jupyter_client's ``wait_for_ready`` ends by draining IOPub until it has been
quiet for 0.2 s: every client of a grading kernel (nbclient's, the judge's)
paid that, 0.4 s of a notebook's 0.7 s fixed cost. These clients send
``kernel_info`` and are ready when its reply has come on the shell channel and
the kernel's ``idle`` status for that same request has come on IOPub (proof that
IOPub is subscribed); they start over if IOPub missed it.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.blocking import BlockingKernelClient
from jupyter_core.utils import ensure_async


async def _wait_for_ready(kc, timeout: float | None = None) -> None:
    deadline = time.monotonic() + (timeout if timeout is not None else 60)
    asked: set[str] = set()
    wait = 0.02                 # IOPub's subscription takes a few ms to reach the kernel
    while True:
        msg_id = kc.kernel_info()
        asked.add(msg_id)
        replied = False
        while not replied and time.monotonic() < deadline:
            try:
                msg = await ensure_async(kc.shell_channel.get_msg(timeout=1))
            except Empty:
                break
            if msg["parent_header"].get("msg_id") == msg_id:
                kc._handle_kernel_info_reply(msg)
                replied = True
        while replied:
            try:
                msg = await ensure_async(kc.iopub_channel.get_msg(timeout=wait))
            except Empty:
                wait = min(2 * wait, 0.5)
                break                               # IOPub missed it: ask again
            if msg["parent_header"].get("msg_id") in asked and \
                    msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                return
        if not await ensure_async(kc.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")


class ReadyAsyncClient(AsyncKernelClient):
    async def _async_wait_for_ready(self, timeout=None):
        await _wait_for_ready(self, timeout)

    wait_for_ready = _async_wait_for_ready


class ReadyBlockingClient(BlockingKernelClient):
    def wait_for_ready(self, timeout=None):
        from jupyter_core.utils import run_sync
        return run_sync(_wait_for_ready)(self, timeout)
