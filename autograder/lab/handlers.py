"""Server side of nbgrader's Validate button, answered by the course.

nbgrader's lab button POSTs ``/assignments/validate`` (after GET ``/nbgrader_version``).
nbgrader's own handler validates on the server's event loop, so every other request
waits for it; this one runs ``python -m autograder.lab.validate`` in a subprocess and
awaits it. The launch configs in ``jupyter_config/`` turn nbgrader's
``validate_assignment`` server extension off and this one on, so the route is ours.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from nbgrader.server_extensions.validate_assignment.handlers import NbGraderVersionHandler
from tornado import web

# A whole validation (kernel start plus every cell) gets this long.
VALIDATE_TIMEOUT = int(os.environ.get("DLCOURSE_VALIDATE_TIMEOUT", "900"))


async def run_validation(path: Path) -> dict:
    """nbgrader's reply format: {"success": bool, "value": result or message}."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "autograder.lab.validate", str(path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        cwd=str(path.parent), start_new_session=True)
    try:
        out, err = await asyncio.wait_for(proc.communicate(), VALIDATE_TIMEOUT)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        return {"success": False, "value": f"Validation took longer than {VALIDATE_TIMEOUT} s."}
    tail = out.decode(errors="replace").rsplit("@@RESULT@@", 1)
    if proc.returncode != 0 or len(tail) != 2:
        lines = err.decode(errors="replace").strip().splitlines()
        return {"success": False, "value": "\n".join(lines[-15:]) or f"exit {proc.returncode}"}
    return {"success": True, "value": json.loads(tail[1])}


class ValidateHandler(JupyterHandler):
    @web.authenticated
    async def post(self):
        try:
            rel = self.get_argument("path")
        except web.MissingArgumentError:
            rel = (self.get_json_body() or {}).get("path", "")
        root = Path(self.settings["server_root_dir"]).expanduser().resolve()
        target = (root / rel).resolve()
        if not target.is_relative_to(root):
            raise web.HTTPError(403, "Access denied: path outside allowed directory")
        if not target.is_file():
            raise web.HTTPError(404, f"No such notebook: {rel}")
        self.log.info("Validating %s (visible checks)", target)
        self.finish(json.dumps(await run_validation(target)))


def load(serverapp) -> None:
    base = serverapp.web_app.settings["base_url"]
    serverapp.web_app.add_handlers(".*$", [
        (url_path_join(base, "/assignments/validate"), ValidateHandler),
        (url_path_join(base, "/nbgrader_version"), NbGraderVersionHandler),
    ])
    serverapp.log.info("autograder.lab: Validate runs the visible checks of each exercise")
