"""The face model file: status, require_model, install --from, download, and `tonus model`."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from journal.capture import model_file
from journal.capture.model_file import (
    MODEL_SHA256,
    MODEL_SIZE,
    ModelStatus,
    download,
    find_model,
    install_from_file,
    model_status,
    require_model,
)
from journal.cli import main
from journal.errors import ModelMissingError, TonusError, UsageError
from journal.paths import default_model_path


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never touch the real data dir, and start every test with no env overrides or cache."""
    monkeypatch.setenv("TONUS_HOME", str(tmp_path / "default-home"))
    monkeypatch.delenv("TONUS_FACE_MODEL", raising=False)
    monkeypatch.delenv("TONUS_MODEL_URL", raising=False)
    model_file.clear_cache()
    yield
    model_file.clear_cache()


@pytest.fixture(scope="session")
def model_bytes(model_path: Path) -> bytes:
    data = model_path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == MODEL_SHA256
    return data


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def corrupted(tmp_path: Path, model_bytes: bytes) -> Path:
    """A copy of the model with one byte flipped (same size, wrong sha256)."""
    data = bytearray(model_bytes)
    data[len(data) // 2] ^= 0xFF
    path = tmp_path / "corrupted.task"
    path.write_bytes(bytes(data))
    return path


@pytest.fixture
def truncated(tmp_path: Path, model_bytes: bytes) -> Path:
    path = tmp_path / "truncated.task"
    path.write_bytes(model_bytes[: MODEL_SIZE // 2])
    return path


def _files(root: Path) -> list[Path]:
    """Every file under `root` (none if it does not exist)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _one_sentence(message: str) -> None:
    """A message is one sentence: one line, ending with a single full stop."""
    assert "\n" not in message.strip()
    assert message.strip().endswith(".")
    # Only the final full stop ends a sentence ("3.8 MB" and file names have inner dots).
    assert ". " not in message.replace("3.8 MB", "")


# --- a local HTTP server -------------------------------------------------------------------


class _Server:
    """A tiny HTTP server on 127.0.0.1 serving fixed bodies by path, 404 otherwise."""

    def __init__(self) -> None:
        self.routes: dict[str, bytes] = {}
        routes = self.routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = routes.get(self.path)
                if body is None:
                    self.send_error(404, "Not Found")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                pass  # e.g. the client hanging up on an over-long body

        self.httpd = QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()
        host, port = self.httpd.server_address[:2]
        self.base = f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server(model_bytes: bytes, corrupted: Path) -> Iterator[_Server]:
    srv = _Server()
    srv.routes["/face_landmarker.task"] = model_bytes
    srv.routes["/corrupted.task"] = corrupted.read_bytes()
    srv.routes["/too-big.task"] = model_bytes + b"x" * 1000
    try:
        yield srv
    finally:
        srv.close()


# --- status and lookup ---------------------------------------------------------------------


def test_status_missing(home: Path) -> None:
    status = model_status(home)
    assert status == ModelStatus(
        path=default_model_path(home), exists=False, size=None, sha256=None, ok=False, source="none"
    )
    assert find_model(home) is None
    assert not home.exists()  # looking does not create anything


@pytest.mark.shared
def test_status_ok_after_install(home: Path, model_path: Path) -> None:
    target = install_from_file(model_path, home)
    assert target == default_model_path(home)
    status = model_status(home)
    assert status.ok and status.exists
    assert status.source == "data dir"
    assert status.size == MODEL_SIZE
    assert status.sha256 == MODEL_SHA256
    assert find_model(home) == target
    assert require_model(home) == target


@pytest.mark.shared
def test_status_corrupted(home: Path, model_path: Path) -> None:
    target = install_from_file(model_path, home)
    data = bytearray(target.read_bytes())
    data[100] ^= 0x01
    target.write_bytes(bytes(data))
    status = model_status(home)
    assert status.exists and not status.ok
    assert status.sha256 is not None and status.sha256 != MODEL_SHA256
    with pytest.raises(ModelMissingError) as info:
        require_model(home)
    message = str(info.value)
    _one_sentence(message)
    assert str(target) in message and "damaged" in message


@pytest.mark.shared
def test_env_takes_precedence(
    home: Path, model_path: Path, corrupted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_from_file(model_path, home)
    monkeypatch.setenv("TONUS_FACE_MODEL", str(corrupted))
    assert find_model(home) == corrupted
    status = model_status(home)
    assert status.source == "env" and status.path == corrupted and not status.ok


# --- require_model -------------------------------------------------------------------------


def test_require_model_missing_says_how_to_install(home: Path) -> None:
    with pytest.raises(ModelMissingError) as info:
        require_model(home)
    message = str(info.value)
    _one_sentence(message)
    assert "tonus model install" in message
    assert "--from FILE" in message
    assert "TONUS_FACE_MODEL" in message
    assert info.value.exit_code == 2


@pytest.mark.shared
def test_require_model_env_good(home: Path, model_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONUS_FACE_MODEL", str(model_path))
    assert require_model(home) == model_path
    assert not home.exists()


def test_require_model_env_missing_names_path(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "nowhere" / "model.task"
    monkeypatch.setenv("TONUS_FACE_MODEL", str(missing))
    with pytest.raises(ModelMissingError) as info:
        require_model(home)
    message = str(info.value)
    _one_sentence(message)
    assert str(missing) in message and "does not exist" in message
    assert "TONUS_FACE_MODEL" in message


@pytest.mark.shared
@pytest.mark.parametrize("bad", ["corrupted", "truncated"])
def test_require_model_env_bad_names_path(
    home: Path, bad: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    path: Path = request.getfixturevalue(bad)
    monkeypatch.setenv("TONUS_FACE_MODEL", str(path))
    with pytest.raises(ModelMissingError) as info:
        require_model(home)
    message = str(info.value)
    _one_sentence(message)
    assert str(path) in message and "not the expected face model" in message


def test_require_model_env_directory(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONUS_FACE_MODEL", str(tmp_path))
    with pytest.raises(ModelMissingError, match="cannot be read as a file"):
        require_model(home)


@pytest.mark.shared
def test_require_model_caches_the_hash(home: Path, model_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = install_from_file(model_path, home)
    calls: list[Path] = []
    real = model_file._hash_file

    def counting(path: Path) -> str:
        calls.append(path)
        return real(path)

    monkeypatch.setattr(model_file, "_hash_file", counting)
    model_file.clear_cache()
    for _ in range(5):
        assert require_model(home) == target
    assert len(calls) == 1
    # A changed file (new mtime/size) is hashed again and refused.
    target.write_bytes(b"not a model")
    with pytest.raises(ModelMissingError):
        require_model(home)
    assert len(calls) == 2


# --- install_from_file ---------------------------------------------------------------------


@pytest.mark.shared
def test_install_permissions(home: Path, model_path: Path) -> None:
    target = install_from_file(model_path, home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _files(home) == [target]


@pytest.mark.shared
def test_install_leaves_an_existing_data_dir_as_it_is(home: Path, model_path: Path) -> None:
    # Issue 9: only a folder Tonus creates is made 0700; one that exists keeps the mode its owner chose.
    home.mkdir(parents=True, exist_ok=True)
    os.chmod(home, 0o755)
    install_from_file(model_path, home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o755
    assert stat.S_IMODE((home / "models").stat().st_mode) == 0o700  # created by Tonus


@pytest.mark.shared
@pytest.mark.parametrize("bad", ["corrupted", "truncated"])
def test_install_bad_file_refused_nothing_left(home: Path, bad: str, request: pytest.FixtureRequest) -> None:
    path: Path = request.getfixturevalue(bad)
    with pytest.raises(ModelMissingError) as info:
        install_from_file(path, home)
    message = str(info.value)
    _one_sentence(message)
    assert str(path) in message and "nothing was installed" in message
    assert _files(home) == []


@pytest.mark.shared
def test_install_bad_file_keeps_existing_good_model(home: Path, model_path: Path, corrupted: Path) -> None:
    target = install_from_file(model_path, home)
    before = target.stat()
    with pytest.raises(ModelMissingError):
        install_from_file(corrupted, home)
    assert _files(home) == [target]
    after = target.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert model_status(home).ok


def test_install_missing_source(home: Path, tmp_path: Path) -> None:
    with pytest.raises(UsageError) as info:
        install_from_file(tmp_path / "nope.task", home)
    _one_sentence(str(info.value))
    assert "nope.task" in str(info.value)
    assert not home.exists()


@pytest.mark.shared
def test_install_replaces_a_damaged_model(home: Path, model_path: Path) -> None:
    target = default_model_path(home)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"garbage")
    install_from_file(model_path, home)
    assert model_status(home).ok
    assert _files(home) == [target]


# --- download ------------------------------------------------------------------------------


@pytest.mark.shared
def test_download_installs_and_verifies(home: Path, server: _Server) -> None:
    seen: list[tuple[int, int | None]] = []
    target = download(server.url("/face_landmarker.task"), home, progress=lambda d, t: seen.append((d, t)))
    assert target == default_model_path(home)
    assert model_status(home).ok
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert _files(home) == [target]
    assert seen[0] == (0, MODEL_SIZE) and seen[-1] == (MODEL_SIZE, MODEL_SIZE)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


@pytest.mark.shared
def test_download_url_from_env(home: Path, server: _Server, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TONUS_MODEL_URL", server.url("/face_landmarker.task"))
    assert download(home=home) == default_model_path(home)
    assert model_status(home).ok


@pytest.mark.shared
@pytest.mark.parametrize("route", ["/corrupted.task", "/too-big.task"])
def test_download_corrupted_refused_nothing_left(home: Path, server: _Server, route: str) -> None:
    url = server.url(route)
    with pytest.raises(ModelMissingError) as info:
        download(url, home)
    message = str(info.value)
    _one_sentence(message)
    assert url in message and "nothing was installed" in message
    assert _files(home) == []


@pytest.mark.shared
def test_download_corrupted_keeps_existing_good_model(home: Path, server: _Server, model_path: Path) -> None:
    target = install_from_file(model_path, home)
    before = target.stat()
    with pytest.raises(ModelMissingError):
        download(server.url("/corrupted.task"), home)
    assert _files(home) == [target]
    assert target.stat().st_mtime_ns == before.st_mtime_ns
    assert model_status(home).ok


@pytest.mark.shared
def test_download_404(home: Path, server: _Server) -> None:
    url = server.url("/missing.task")
    with pytest.raises(TonusError) as info:
        download(url, home)
    message = str(info.value)
    _one_sentence(message)
    assert url in message and "HTTP 404" in message
    assert not home.exists()


def test_download_connection_refused(home: Path) -> None:
    with socket.socket() as sock:  # find a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/face_landmarker.task"
    with pytest.raises(TonusError) as info:
        download(url, home, timeout=5)
    _one_sentence(str(info.value))
    assert url in str(info.value)
    assert not home.exists()


def test_download_timeout(home: Path) -> None:
    with socket.socket() as sock:  # accepts connections (backlog) but never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/face_landmarker.task"
        with pytest.raises(TonusError) as info:
            download(url, home, timeout=0.3)
    _one_sentence(str(info.value))
    assert url in str(info.value)
    assert _files(home) == []


@pytest.mark.shared
def test_download_rejects_non_http_url(home: Path, model_path: Path) -> None:
    with pytest.raises(UsageError, match="only http"):
        download(model_path.as_uri(), home)


# --- the CLI -------------------------------------------------------------------------------


def test_cli_status_missing(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "model", "status"]) == 1
    out, err = capsys.readouterr()
    assert "not ok" in out and str(default_model_path(home)) in out
    assert err.startswith("tonus: ") and "tonus model install" in err
    _one_sentence(err.removeprefix("tonus: "))


@pytest.mark.shared
def test_cli_install_from_then_status(
    home: Path, model_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--home", str(home), "model", "install", "--from", str(model_path)]) == 0
    out, err = capsys.readouterr()
    assert "Installed the face model" in out and err == ""
    assert main(["--home", str(home), "model", "status"]) == 0
    out, err = capsys.readouterr()
    assert f"{MODEL_SHA256} (ok)" in out and "status:  ok" in out and err == ""
    assert main(["--home", str(home), "model", "status", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["ok"] is True and record["source"] == "data dir"
    assert record["size"] == MODEL_SIZE and record["sha256"] == MODEL_SHA256


@pytest.mark.shared
def test_cli_status_json_corrupted_env(
    home: Path, corrupted: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TONUS_FACE_MODEL", str(corrupted))
    assert main(["--home", str(home), "model", "status", "--json"]) == 1
    out, err = capsys.readouterr()
    record = json.loads(out)
    assert record["ok"] is False and record["source"] == "env"
    assert record["path"] == str(corrupted)
    assert str(corrupted) in err


@pytest.mark.shared
def test_cli_install_corrupted(home: Path, corrupted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--home", str(home), "model", "install", "--from", str(corrupted)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("tonus: ") and str(corrupted) in err
    _one_sentence(err.removeprefix("tonus: "))
    assert _files(home) == []


@pytest.mark.shared
def test_cli_download_and_already_installed(
    home: Path, server: _Server, capsys: pytest.CaptureFixture[str]
) -> None:
    url = server.url("/face_landmarker.task")
    assert main(["--home", str(home), "model", "install", "--url", url]) == 0
    out, err = capsys.readouterr()
    assert "Installed the face model" in out
    assert url in err and "Downloaded 3.8 MB." in err  # not a tty: one final line, no bar
    assert "\r" not in err
    assert model_status(home).ok
    # Already installed: no second download unless --force.
    server.routes.clear()
    assert main(["--home", str(home), "model", "install", "--url", url]) == 0
    assert "already installed" in capsys.readouterr().out
    assert main(["--home", str(home), "model", "install", "--url", url, "--force"]) == 1
    assert "HTTP 404" in capsys.readouterr().err
    assert model_status(home).ok


@pytest.mark.shared
def test_cli_download_from_env_url(
    home: Path, server: _Server, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TONUS_MODEL_URL", server.url("/face_landmarker.task"))
    assert main(["--home", str(home), "model", "install"]) == 0
    assert model_status(home).ok


@pytest.mark.shared
def test_cli_download_404(home: Path, server: _Server, capsys: pytest.CaptureFixture[str]) -> None:
    url = server.url("/missing.task")
    assert main(["--home", str(home), "model", "install", "--url", url]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith("tonus: ") and "HTTP 404" in last and url in last
    _one_sentence(last.removeprefix("tonus: "))


@pytest.mark.shared
def test_cli_from_and_url_conflict(home: Path, model_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--home", str(home), "model", "install", "--from", str(model_path), "--url", "http://x"]
    assert main(argv) == 2
    assert "not both" in capsys.readouterr().err


def test_cli_model_without_action_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model"]) == 2
    assert "install" in capsys.readouterr().out


def test_progress_bar_on_a_tty() -> None:
    from journal.cli.model_cmd import ProgressBar

    class Tty:
        def __init__(self) -> None:
            self.text = ""

        def isatty(self) -> bool:
            return True

        def write(self, s: str) -> int:
            self.text += s
            return len(s)

        def flush(self) -> None:
            pass

    stream = Tty()
    bar = ProgressBar(stream)  # type: ignore[arg-type]
    for done in range(0, MODEL_SIZE + 1, 1 << 16):
        bar(done, MODEL_SIZE)
    bar(MODEL_SIZE, MODEL_SIZE)
    bar.finish(True)
    frames = stream.text.split("\r")[1:]
    assert 50 <= len(frames) <= 101  # redrawn only when the percent changes
    assert frames[-1].rstrip("\n").endswith("100%  3.8/3.8 MB")
    assert stream.text.endswith("\n")


def test_import_cli_stays_light() -> None:
    code = (
        "import sys, journal.cli, journal.capture.model_file\n"
        "heavy = {'mediapipe', 'cv2', 'duckdb', 'textual'} & set(sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
