# Starting `edgegym serve` (or reaching one already listening) and one request/reply exchange at
# a time over it, with timeouts, so a dead or silent server is an exception, never a hang.
"""The link to an ``edgegym serve`` process: finding the CLI, framing, errors."""

from __future__ import annotations

import os
import shlex
import shutil
import select
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any, Sequence

from . import protocol as P

DEFAULT_TIMEOUT = 60.0


class EdgegymError(RuntimeError):
    """Base of the errors the client raises."""


class BadRequestError(EdgegymError, ValueError):
    """The server could not act on a request; the message says what was wrong with it."""


class EnvError(EdgegymError):
    """The hosted env raised an error (bad kwargs, an action outside the space, …)."""

    def __init__(self, message: str, name: str) -> None:
        super().__init__(message)
        self.name = name


class ServerDied(EdgegymError, ConnectionError):
    """The server process exited or the connection closed."""


class ServerTimeout(EdgegymError, TimeoutError):
    """The server sent no reply in time; the connection is closed, since its state is unknown."""


def find_cli() -> list[str]:
    """The command that runs the edgegym CLI: $EDGEGYM_CLI, this repository's build, node_modules/.bin, or PATH."""
    given = os.environ.get("EDGEGYM_CLI")
    if given:
        argv = shlex.split(given)
        return _with_node(argv[0]) + argv[1:]
    repo_build = Path(__file__).resolve().parents[2] / "dist" / "bin" / "edgegym.js"
    if repo_build.is_file():
        return _with_node(str(repo_build))
    for folder in [Path.cwd(), *Path.cwd().parents]:
        local = folder / "node_modules" / ".bin" / "edgegym"
        if local.exists():
            return [str(local)]
    on_path = shutil.which("edgegym")
    if on_path is not None:
        return [on_path]
    raise EdgegymError(
        "edgegym: cannot find the edgegym CLI. Looked for $EDGEGYM_CLI, "
        f"{repo_build} (a build beside the package, as in the edgegym repository after `npm run build`), node_modules/.bin/edgegym in "
        f"{Path.cwd()} and its parents (`npm install edgegym`), and `edgegym` on PATH. "
        "Set EDGEGYM_CLI to the path of dist/bin/edgegym.js or of an edgegym executable."
    )


def _with_node(path: str) -> list[str]:
    if not path.endswith(".js"):
        return [path]
    node = os.environ.get("EDGEGYM_NODE") or shutil.which("node")
    if node is None:
        raise EdgegymError(f"edgegym: found the CLI at {path} but no `node` on PATH to run it; install Node.js ≥ 20 or set EDGEGYM_NODE")
    return [node, path]


class Connection:
    """One client's link to one server: a child process on stdio, or a socket address.

    ``address`` is ``"tcp:127.0.0.1:PORT"`` or ``"unix:/path"`` of a running ``edgegym serve --port/--socket``;
    without it a server is started with ``edgegym serve`` (plus ``--require`` for each of ``require``).
    """

    def __init__(self, address: str | None = None, require: Sequence[str] = (), timeout: float | None = DEFAULT_TIMEOUT) -> None:
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self._stderr: Any = None
        self._buf = bytearray(1 << 16)
        self._view = memoryview(self._buf)
        self.closed = False
        self.sock: socket.socket | None = None
        if address is None:
            argv = find_cli() + ["serve"] + [a for m in require for a in ("--require", m)]
            # stderr goes to a file, not a pipe: a chatty env can never fill it and block the server.
            self._stderr = tempfile.TemporaryFile()
            self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr, bufsize=0)
            assert self.process.stdin is not None and self.process.stdout is not None
            self._out, self._in = self.process.stdin.fileno(), self.process.stdout.fileno()
            self.where = f"edgegym serve (pid {self.process.pid}, {' '.join(argv)})"
        else:
            self.sock = _connect(address, timeout)
            self._out = self._in = self.sock.fileno()
            self.where = f"edgegym serve at {address}"
        # Waiting for a reply is a poll with the timeout, then a read of whatever has arrived.
        self._poll = select.poll()
        self._poll.register(self._in, select.POLLIN | select.POLLHUP | select.POLLERR)
        self._timeout_ms = -1 if timeout is None else max(1, int(timeout * 1000))

    def send(self, frame: bytes | bytearray | memoryview) -> None:
        try:
            sent = os.write(self._out, frame)
            if sent < len(frame):
                view = memoryview(frame)[sent:]
                while len(view) > 0:
                    view = view[os.write(self._out, view) :]
        except (BrokenPipeError, ConnectionError) as err:
            raise self._died("while sending a request") from err

    def receive(self, request: str) -> tuple[int, int, memoryview]:
        """The next reply frame: its type, flags and bytes (valid until the next call). ERROR raises."""
        got = self._read(0, request)
        while got < P.HEADER_BYTES:
            got += self._read(got, request)
        length, message_type, version, flags = P.HEADER.unpack_from(self._buf, 0)
        need = P.HEADER_BYTES + length
        if need > len(self._buf):
            grown = bytearray(max(need, 2 * len(self._buf)))
            grown[:got] = self._buf[:got]
            self._buf, self._view = grown, memoryview(grown)
        while got < need:
            got += self._read(got, request)
        if version != P.PROTOCOL_VERSION:
            raise EdgegymError(f"{self.where} speaks protocol version {version}; this client speaks {P.PROTOCOL_VERSION}: install matching versions of edgegym (npm) and its Python client")
        if message_type == P.ERROR:
            reply = P.read_json(self._buf, P.HEADER_BYTES)
            name = str(reply.get("name", "Error"))
            message = f"edgegym serve: {reply.get('error')}"
            if name in ("BadRequest", "ProtocolError"):
                raise BadRequestError(message)
            raise EnvError(f"{message} ({name})", name)
        return message_type, flags, self._view[:need]

    def _read(self, at: int, request: str) -> int:
        """Waits (up to the timeout) for reply bytes and reads what has arrived into the buffer at `at`."""
        if not self._poll.poll(self._timeout_ms):
            self.close(kill=True)
            raise ServerTimeout(f"{self.where} sent no reply to {request} within {self.timeout} s; closed it (pass timeout= to make/make_vec for longer steps)")
        try:
            n = os.readv(self._in, [self._view[at:]])
        except ConnectionError as err:
            raise self._died(f"while answering {request}") from err
        if n == 0:
            raise self._died(f"while answering {request}")
        return n

    def request_json(self, message_type: int, value: Any = None) -> Any:
        """Sends a JSON request and returns the reply's JSON."""
        self.send(P.json_frame(message_type, {} if value is None else value))
        _, _, frame = self.receive(P.NAMES[message_type])
        return P.read_json(frame, P.HEADER_BYTES) if len(frame) > P.HEADER_BYTES else None

    def close(self, kill: bool = False) -> None:
        """Sends CLOSE (unless ``kill``) and waits for the server to go; calling it twice is harmless."""
        if self.closed:
            return
        self.closed = True
        try:
            if not kill:
                try:
                    self.send(P.header(P.CLOSE, 0))
                    self.receive("CLOSE")
                except EdgegymError:
                    pass
        finally:
            if self.sock is not None:
                self.sock.close()
            if self.process is not None:
                for stream in (self.process.stdin, self.process.stdout):
                    if stream is not None:
                        stream.close()
                if kill:
                    self.process.kill()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
                if self._stderr is not None:
                    self._stderr.close()

    def stderr_tail(self, lines: int = 12) -> str:
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        return "\n".join(text[-lines:])

    def _died(self, when: str) -> ServerDied:
        code = None
        if self.process is not None:
            try:
                code = self.process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        tail = self.stderr_tail()
        self.close(kill=True)
        status = "" if code is None else f" (exit code {code}{', killed by signal ' + str(-code) if code < 0 else ''})"
        return ServerDied(f"{self.where} went away {when}{status}" + (f"; its last stderr lines:\n{tail}" if tail else ""))


def _connect(address: str, timeout: float | None) -> socket.socket:
    kind, _, rest = address.partition(":")
    if kind == "tcp":
        host, _, port = rest.rpartition(":")
        sock = socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    elif kind == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        sock.connect(rest)
    else:
        raise ValueError(f"edgegym: address {address!r} must be 'tcp:HOST:PORT' or 'unix:PATH', as `edgegym serve --port/--socket` prints it")
    sock.settimeout(None)  # blocking; replies are awaited with poll and the connection's timeout
    return sock


def list_envs(timeout: float | None = DEFAULT_TIMEOUT, require: Sequence[str] = ()) -> list[dict[str, Any]]:
    """The envs the server has registered (ours and those ``require`` registers), with their limits."""
    conn = Connection(require=require, timeout=timeout)
    try:
        return list(conn.request_json(P.LIST)["envs"])
    finally:
        conn.close()


__all__ = ["Connection", "EdgegymError", "BadRequestError", "EnvError", "ServerDied", "ServerTimeout", "find_cli", "list_envs"]
