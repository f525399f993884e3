"""Endless loops, crashes, and memory, output, file and disk bombs.

As in processes.py, ``double`` is solved before the attack: each case earns
exactly 1 point."""

from __future__ import annotations

from . import DOUBLE_OK, Case, nb_case

HALVE_WRONG = "def halve(x):\n    return x // 3\n"

LOOP = """\
import resource, os
try:
    resource.setrlimit(resource.RLIMIT_CPU, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print('raised the CPU limit')
except (ValueError, OSError) as exc:
    print('CPU limit stays:', exc)
try:
    os.nice(-10)
except OSError as exc:
    print('nice:', exc)
while True:
    pass
""" + HALVE_WRONG

LOOP_NO_SIGINT = """\
import signal
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
while True:
    try:
        while True:
            pass
    except BaseException:
        pass
""" + HALVE_WRONG

MEMORY = """\
try:
    huge = bytearray(2**40)
except MemoryError:
    print('1 TiB at once: MemoryError')
blocks = []
try:
    while True:
        blocks.append(bytearray(2**27))          # 128 MiB, touched
except MemoryError:
    print('MemoryError after', len(blocks) * 128, 'MiB')
del blocks
""" + HALVE_WRONG

OUTPUT = """\
import os, sys
chunk = 'x' * 2**20
for _ in range(32):
    sys.stdout.write(chunk)                     # 32 MiB of stdout
sys.stdout.flush()
print('y' * 16_000_000)                         # one 16 MB line
for i in range(200_000):                        # many small lines
    print(i)
sys.stderr.write('e' * 8_000_000)
os.write(1, b'z' * 50_000_000)                  # the kernel's own file descriptors
os.write(2, b'z' * 50_000_000)
def halve(x):
    print('w' * 5_000_000)                       # output while the judge calls it
    return x // 3
"""

DISPLAY = """\
from IPython.display import display, HTML, Image
for i in range(3000):
    display(HTML('<b>' + 'z' * 3000 + '</b>'))
display({'image/png': 'A' * 30_000_000}, raw=True)
display({'text/html': '<i>' * 2_000_000, 'application/json': {'k': 'v' * 1_000_000}}, raw=True)
""" + HALVE_WRONG

FILES_DISK = """\
import os
os.makedirs('bomb', exist_ok=True)
made = 0
try:
    for i in range(30_000):
        open(f'bomb/{i}', 'w').close()
        made += 1
except OSError as exc:
    print('files stopped at', made, exc)
for target in ('big.bin', '/tmp/big.bin', '/dev/shm/big.bin', os.path.expanduser('~/big.bin')):
    written = 0
    try:
        with open(target, 'wb') as f:
            while written < 2**31:
                f.write(b'\\0' * 2**24)
                written += 2**24
    except OSError as exc:
        print(target, 'stopped at', written // 2**20, 'MiB:', exc.strerror)
""" + HALVE_WRONG

CRASH = """\
import sys, ctypes
sys.setrecursionlimit(10**7)
def f(n):
    return f(n + 1) + 1
try:
    f(0)
except RecursionError:
    pass
ctypes.string_at(0)                          # a segmentation fault, if the recursion survived
""" + HALVE_WRONG

CASES = [
    Case("endless-loop", "an endless loop (after trying to raise its CPU limit and its priority)",
         "interrupted at the cell timeout; the other cells run: 1 point",
         nb_case(DOUBLE_OK, LOOP), score=1.0),
    Case("endless-loop-ignoring-sigint", "an endless loop that ignores SIGINT, SIGTERM and "
         "KeyboardInterrupt", "nbclient's interrupt at the timeout is ignored; nothing kills the kernel: "
         "the grader waits on it", nb_case(DOUBLE_OK, LOOP_NO_SIGINT),
         score=1.0, max_seconds=120),
    Case("memory-bomb", "1 TiB at once, then 128 MiB blocks, touched, until it fails",
         "no memory limit: the machine swaps or the OOM killer picks a process (maybe the grader)",
         nb_case(DOUBLE_OK, MEMORY), score=1.0),
    Case("output-bomb", "32 MiB on stdout, a 16 MB line, 200k lines, 8 MB on stderr, 100 MB on the "
         "kernel's fds, 3000 HTML displays, a 30 MB image, 5 MB per judged call",
         "LimitOutput caps lines, not bytes: a 16 MB line and the displays are kept; the graded "
         "notebook, the gradebook and the feedback hold tens of MB",
         nb_case(DOUBLE_OK, DISPLAY.replace(HALVE_WRONG, "") + OUTPUT), score=1.0),
    Case("file-and-disk-bomb", "30,000 files, then 2 GiB files in the work folder, /tmp, /dev/shm "
         "and HOME", "fills the grader's disk; the files stay in submitted/ and autograded/",
         nb_case(DOUBLE_OK, FILES_DISK), score=1.0),
    Case("kernel-crash", "unbounded recursion with the recursion limit lifted, then a segfault",
         "the kernel dies; nbgrader 0.9.6 reports a DeadKernelError and the submission fails",
         nb_case(DOUBLE_OK, CRASH), score=1.0),
]
