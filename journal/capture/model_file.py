"""The face model file: find it, verify it (sha256) and install it atomically (stdlib only)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

from journal import __version__
from journal.errors import ModelMissingError, TonusError, UsageError
from journal.paths import MODEL_ENV, data_dir, default_model_path, ensure_private_dir

MODEL_URL = (
    "https://storage.googleapis.com/mediapipe-models/face_landmarker/"
    "face_landmarker/float16/1/face_landmarker.task"
)
MODEL_SHA256 = "64184e229b263107bc2b804c6625db1341ff2bb731874b0bcc2fe6544e0bc9ff"
MODEL_SIZE = 3758596
URL_ENV = "TONUS_MODEL_URL"
DEFAULT_TIMEOUT = 30.0

_CHUNK = 1 << 16
_HOW_TO_INSTALL = (
    "run `tonus model install` (downloads 3.8 MB from Google) or "
    f"`tonus model install --from FILE`, or set {MODEL_ENV}"
)

Source = Literal["env", "data dir", "none"]
Progress = Callable[[int, int | None], None]
PathArg = str | os.PathLike[str]

# sha256 of files already hashed in this process, keyed by (resolved path, mtime_ns, size).
_SHA_CACHE: dict[tuple[str, int, int], str] = {}


@dataclass(frozen=True)
class ModelStatus:
    """What is known about the face model: where it is, and whether it verifies."""

    path: Path
    exists: bool
    size: int | None
    sha256: str | None
    ok: bool
    source: Source


def _env_model() -> Path | None:
    """Return the path in $TONUS_FACE_MODEL, or None when it is unset or empty."""
    value = os.environ.get(MODEL_ENV)
    return Path(value).expanduser() if value else None


def find_model(home: PathArg | None = None) -> Path | None:
    """Return $TONUS_FACE_MODEL if set (even if missing), else the installed copy, else None."""
    env = _env_model()
    if env is not None:
        return env
    path = default_model_path(home)
    return path if path.exists() else None


def clear_cache() -> None:
    """Forget the cached sha256 checks (for tests)."""
    _SHA_CACHE.clear()


def _hash_file(path: Path) -> str:
    """Return the sha256 hex digest of `path`, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    """Return the sha256 of `path`, cached per (path, mtime, size) for this process."""
    before = path.stat()
    key = (str(path.resolve()), before.st_mtime_ns, before.st_size)
    cached = _SHA_CACHE.get(key)
    if cached is not None:
        return cached
    sha = _hash_file(path)
    after = path.stat()
    if (after.st_mtime_ns, after.st_size) == (before.st_mtime_ns, before.st_size):
        _SHA_CACHE[key] = sha
    return sha


def model_status(home: PathArg | None = None) -> ModelStatus:
    """Look up the model and hash it (cached) to say whether it is the expected file."""
    env = _env_model()
    source: Source
    if env is not None:
        path, source = env, "env"
    else:
        path = default_model_path(home)
        source = "data dir" if path.exists() else "none"
    exists = path.exists()
    size: int | None = None
    sha: str | None = None
    if path.is_file():
        try:
            size = path.stat().st_size
            sha = file_sha256(path)
        except OSError:
            sha = None
    ok = sha == MODEL_SHA256 and size == MODEL_SIZE
    return ModelStatus(path=path, exists=exists, size=size, sha256=sha, ok=ok, source=source)


def is_installed(home: PathArg | None = None) -> bool:
    """Return whether the data dir holds a verified model (ignoring $TONUS_FACE_MODEL)."""
    path = default_model_path(home)
    try:
        return path.is_file() and file_sha256(path) == MODEL_SHA256
    except OSError:
        return False


def problem(status: ModelStatus) -> str | None:
    """Return one sentence saying what is wrong with the model and how to fix it, or None."""
    if status.ok:
        return None
    if status.source == "env":
        if not status.exists:
            why = "which does not exist"
        elif status.size is None or status.sha256 is None:
            why = "which cannot be read as a file"
        else:
            why = "which is not the expected face model (sha256 mismatch)"
        return (
            f"{MODEL_ENV} points at {status.path}, {why}: fix or unset {MODEL_ENV}, "
            "then run `tonus model install` if needed."
        )
    if status.exists:
        return (
            f"The face model at {status.path} is damaged or unreadable (sha256 mismatch): "
            "run `tonus model install` (downloads 3.8 MB from Google) or "
            f"`tonus model install --from FILE`, or set {MODEL_ENV}."
        )
    return f"The face model is not installed: {_HOW_TO_INSTALL}."


def require_model(home: PathArg | None = None) -> Path:
    """Return the path of a verified face model, or raise ModelMissingError saying how to get it."""
    status = model_status(home)
    message = problem(status)
    if message is not None:
        raise ModelMissingError(message)
    return status.path


def _short(sha: str) -> str:
    """Return the first 12 hex digits of a digest, for messages."""
    return sha[:12]


def _prepare_target(home: PathArg | None) -> Path:
    """Create the data dir and its models dir private (0700) and return the model's target path."""
    target = default_model_path(home)
    ensure_private_dir(data_dir(home))
    ensure_private_dir(target.parent)
    return target


def _fsync_dir(directory: Path) -> None:
    """Flush a directory entry to disk where the platform allows it."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_verified(chunks: Iterator[bytes], target: Path, what: str) -> Path:
    """Write `chunks` to a temp file beside `target`, check size and sha256, then os.replace.

    On any failure (a mismatch, an I/O or network error, an interrupt) the temp file is removed
    and an existing `target` is left as it was.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=".tonus-model-", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as fh:
            for chunk in chunks:
                size += len(chunk)
                if size > MODEL_SIZE:
                    raise ModelMissingError(
                        f"{what} is larger than the expected face model ({MODEL_SIZE} bytes), "
                        "so nothing was installed."
                    )
                digest.update(chunk)
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        sha = digest.hexdigest()
        if sha != MODEL_SHA256 or size != MODEL_SIZE:
            raise ModelMissingError(
                f"{what} is not the expected face model (sha256 {_short(sha)}, "
                f"expected {_short(MODEL_SHA256)}), so nothing was installed."
            )
        os.chmod(tmp, 0o600)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(target.parent)
    return target


def _read_chunks(fh: BinaryIO, progress: Progress | None, total: int | None) -> Iterator[bytes]:
    """Yield `fh` in chunks, reporting the running byte count to `progress`."""
    done = 0
    if progress is not None:
        progress(0, total)
    while True:
        chunk = fh.read(_CHUNK)
        if not chunk:
            return
        done += len(chunk)
        if progress is not None:
            progress(done, total)
        yield chunk


def install_from_file(src: PathArg, home: PathArg | None = None) -> Path:
    """Copy a local model file into the data dir after checking its sha256; return the target."""
    source = Path(src).expanduser()
    if not source.is_file():
        raise UsageError(f"Cannot install the face model from {source}: no such file.")
    with source.open("rb") as fh:
        target = _prepare_target(home)
        return _write_verified(_read_chunks(fh, None, None), target, str(source))


def resolve_url(url: str | None = None) -> str:
    """Return the download URL: `url`, else $TONUS_MODEL_URL, else MODEL_URL."""
    return url or os.environ.get(URL_ENV) or MODEL_URL


def _network_error(url: str, detail: object) -> TonusError:
    """Build the one-sentence error for a download that failed before it was verified."""
    return TonusError(
        f"Could not download the face model from {url} ({detail}): check the connection "
        "or use `tonus model install --from FILE`."
    )


def download(
    url: str | None = None,
    home: PathArg | None = None,
    progress: Progress | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Path:
    """Download the model (`url`, $TONUS_MODEL_URL or MODEL_URL), verify and install it."""
    import http.client  # here, not at import: `tonus` starts without the HTTP stack (~25 ms)
    import urllib.error
    import urllib.parse
    import urllib.request

    url = resolve_url(url)
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise UsageError(f"Cannot download the face model from {url}: only http(s) URLs work.")
    from journal.capture.offline import user_proxies

    request = urllib.request.Request(url, headers={"User-Agent": f"tonus/{__version__}"})
    proxies = user_proxies()  # the person's own, not the sink that keeps MediaPipe offline
    opener = urllib.request.build_opener(*([] if proxies is None else [urllib.request.ProxyHandler(proxies)]))
    try:
        with opener.open(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            target = _prepare_target(home)
            return _write_verified(_read_chunks(response, progress, total), target, url)
    except urllib.error.HTTPError as exc:
        raise _network_error(url, f"HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise _network_error(url, exc.reason) from None
    except TimeoutError:
        raise _network_error(url, f"no answer within {timeout:g} s") from None
    except (ConnectionError, http.client.HTTPException) as exc:
        raise _network_error(url, exc.__class__.__name__) from None
