"""How judge requests reach the student's code.

``JupyterTransport``: the grading kernel. A request is an execute request of
one line that calls ``kernel_side.serve_jupyter()``; the request itself, and
every call back, travel on the stdin channel (input request / input reply),
and the reply comes back as display data. Nothing is parsed from stdout.

``PipeTransport``: a forked child process serving ``kernel_side.serve_pipe``
(the test-power runner, for the course's own trusted variants).
"""

from __future__ import annotations

import json
import os
import select
import time

from .kernel_side import MIME, read_frame, write_frame
from .session import KernelGone

CODE = "__import__('autograder.judge.kernel_side', fromlist=['_']).serve_jupyter()"
MAX_CAPTURE = 20_000            # bytes of the student's prints kept per test cell


class JudgeTimeout(Exception):
    """A request ran past its deadline; ``alive`` when the interrupted kernel answered."""

    def __init__(self, alive: bool = False):
        super().__init__()
        self.alive = alive


class JupyterTransport:
    def __init__(self, connection_info: dict, interrupt=None):
        from ..kernel_client import ReadyBlockingClient
        self.interrupt = interrupt
        self.kc = ReadyBlockingClient()
        self.kc.load_connection_info(connection_info)
        self.kc.start_channels(shell=True, iopub=True, stdin=True, hb=False, control=False)
        # Replies come on IOPub: wait until it is subscribed (a kernel_info round trip seen
        # there), or the first request's reply can be lost and it waits out its deadline.
        try:
            self.kc.wait_for_ready(timeout=10)
        except RuntimeError:
            pass
        self.captured: list[str] = []
        self._captured_bytes = 0
        self._busy = False

    def close(self) -> None:
        try:
            self.kc.stop_channels()
        except Exception:
            pass

    def take_captured(self) -> str:
        out, self.captured, self._captured_bytes = "".join(self.captured), [], 0
        return out

    def _capture(self, text: str) -> None:
        if self._captured_bytes < MAX_CAPTURE:
            text = text[:MAX_CAPTURE - self._captured_bytes]
            self.captured.append(text)
            self._captured_bytes += len(text)
            if self._captured_bytes >= MAX_CAPTURE:
                self.captured.append("\n[output truncated]\n")

    def request(self, msg: dict, on_callback, deadline: float | None) -> dict:
        import zmq
        if self._busy:
            raise RuntimeError("a hidden test called the student's code from inside a call back")
        self._busy = True
        try:
            msg_id = self.kc.execute(CODE, silent=False, store_history=False, allow_stdin=True)
            poller = zmq.Poller()
            iopub, stdin = self.kc.iopub_channel, self.kc.stdin_channel
            poller.register(iopub.socket, zmq.POLLIN)
            poller.register(stdin.socket, zmq.POLLIN)
            sent, reply, idle, interrupted = False, None, False, False
            while not idle:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    if interrupted or self.interrupt is None:
                        raise JudgeTimeout(alive=False)
                    # Interrupt the student's code (KeyboardInterrupt in the kernel) and
                    # give it a few seconds to answer; a kernel that ignores it is killed.
                    self.interrupt()
                    interrupted, deadline = True, time.monotonic() + 5
                    continue
                ready = dict(poller.poll(1000 if left is None else max(1, int(min(left, 1) * 1000))))
                if not ready:
                    continue
                if stdin.socket in ready:
                    m = stdin.get_msg(timeout=0)
                    if m["parent_header"].get("msg_id") != msg_id or m["msg_type"] != "input_request":
                        continue
                    if not sent:
                        self.kc.input(json.dumps(msg))
                        sent = True
                        continue
                    try:
                        cb = json.loads(m["content"].get("prompt", ""))
                    except ValueError:
                        cb = None
                    if not isinstance(cb, dict) or "op" not in cb:
                        self.kc.input("")        # the student's own input(): answered empty
                        continue
                    self.kc.input(json.dumps(on_callback(cb)))
                if iopub.socket in ready:
                    m = iopub.get_msg(timeout=0)
                    if m["parent_header"].get("msg_id") != msg_id:
                        continue
                    kind, content = m["msg_type"], m["content"]
                    if kind == "display_data" and MIME in content.get("data", {}) and reply is None:
                        try:
                            reply = json.loads(content["data"][MIME])
                        except ValueError:
                            reply = {"error": {"type": "WireError", "message": "a malformed reply", "wire": True}}
                    elif kind == "stream":
                        self._capture(content.get("text", ""))
                    elif kind == "error" and reply is None:
                        reply = {"error": {"type": content.get("ename", "Error"),
                                           "message": content.get("evalue", "")}}
                    elif kind == "status" and content.get("execution_state") == "idle":
                        idle = True
            self._drain_shell()
            if interrupted:
                raise JudgeTimeout(alive=True)
            if reply is None:
                raise KernelGone("the notebook's kernel did not answer the grader: code in the notebook changed how it runs cells, or it crashed")
            return reply
        finally:
            self._busy = False

    def _drain_shell(self) -> None:
        try:
            while self.kc.shell_channel.msg_ready():
                self.kc.shell_channel.get_msg(timeout=0)
        except Exception:
            pass


class PipeTransport:
    def __init__(self, rfd: int, wfd: int):
        self.rfd, self.wfd = rfd, wfd
        self.captured: list[str] = []

    def take_captured(self) -> str:
        return ""

    def request(self, msg: dict, on_callback, deadline: float | None) -> dict:
        try:
            write_frame(self.wfd, msg)
            while True:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    raise JudgeTimeout()
                r, _, _ = select.select([self.rfd], [], [], left)
                if not r:
                    raise JudgeTimeout()
                frame = read_frame(self.rfd)
                if "op" in frame:
                    write_frame(self.wfd, on_callback(frame))
                    continue
                return frame
        except (EOFError, BrokenPipeError, OSError) as exc:
            raise KernelGone(f"the student's process stopped ({type(exc).__name__})") from None

    def close(self) -> None:
        for fd in (self.rfd, self.wfd):
            try:
                os.close(fd)
            except OSError:
                pass
