"""Kernel clients that know at once when a kernel is ready.

jupyter_client's ``wait_for_ready`` ends by draining IOPub until it has been
quiet for 0.2 s: every client of a grading kernel (nbclient's, the judge's)
paid that, 0.4 s of a notebook's 0.7 s fixed cost. These clients send
``kernel_info`` and are ready when its reply has come on the shell channel and
the kernel's ``idle`` status for that same request has come on IOPub (proof that
IOPub is subscribed); they start over if IOPub missed it.

The judge's client also talks on the stdin channel (``input()``): the kernel's
ROUTER socket drops a message for a client whose stdin socket has not finished
its handshake yet, and the request then waits out its deadline. So that client
is ready only once a socket monitor has seen the stdin handshake succeed.
"""

from __future__ import annotations

import time
from queue import Empty

import zmq

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
        if not replied and not await ensure_async(kc.is_alive()):
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")


class ReadyAsyncClient(AsyncKernelClient):
    async def _async_wait_for_ready(self, timeout=None):
        await _wait_for_ready(self, timeout)

    wait_for_ready = _async_wait_for_ready


class ReadyBlockingClient(BlockingKernelClient):
    _stdin_monitor = None

    def wait_for_ready(self, timeout=None):
        from jupyter_core.utils import run_sync
        deadline = time.monotonic() + (timeout if timeout is not None else 60)
        run_sync(_wait_for_ready)(self, timeout)
        if self._stdin_monitor is not None:
            self._wait_stdin_handshake(deadline)

    def _create_connected_socket(self, channel, identity=None):
        if channel != "stdin" or self.curve_publickey is not None:
            return super()._create_connected_socket(channel, identity)
        sock = self.context.socket(zmq.DEALER)
        sock.linger = 1000
        if identity:
            sock.identity = identity
        # watched from before the connect: the event cannot be missed
        self._stdin_monitor = (sock, sock.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED))
        sock.connect(self._make_url(channel))
        return sock

    def _wait_stdin_handshake(self, deadline: float) -> None:
        from zmq.utils.monitor import recv_monitor_message
        sock, mon = self._stdin_monitor
        self._stdin_monitor = None
        try:
            while mon.poll(max(0, int((deadline - time.monotonic()) * 1000))):
                if recv_monitor_message(mon)["event"] == zmq.EVENT_HANDSHAKE_SUCCEEDED:
                    return
            raise RuntimeError("the kernel's stdin channel did not connect")
        finally:
            sock.disable_monitor()
            mon.close(linger=0)
