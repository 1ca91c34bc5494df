"""Nothing leaves the machine: `tonus analyze` and `tonus import` traced with strace.

The trace fails the test on any connect() to an address outside the machine, on any DNS query
(anything sent to port 53), and on any child process (MediaPipe's import used to run gcc, ld and
ldconfig looking for PortAudio).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from hostile_helpers import tonus

pytestmark = [pytest.mark.shared, pytest.mark.slow]

_INET = re.compile(r'sin6?_addr=inet_(?:addr|pton)\((?:AF_INET6, )?"([^"]+)"\)')
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_LOCAL = ("127.", "::1", "::ffff:127.")


@pytest.fixture(scope="module")
def strace() -> str:
    """The strace binary (.ci/run installs it); skipped only outside CI."""
    path = shutil.which("strace")
    if path is None:
        if os.environ.get("TONUS_REQUIRE_SHARED") == "1":
            pytest.fail("strace is not installed: .ci/run installs it (apt-get install strace)")
        pytest.skip("strace is not installed")
    return path


def outside_traffic(trace: str) -> list[str]:
    """Return the traced calls that reach beyond this machine (or ask DNS anything)."""
    bad = []
    for line in trace.splitlines():
        if "connect(" not in line and "sendto(" not in line:
            continue
        if "AF_UNIX" in line or "AF_NETLINK" in line:
            continue
        port = _PORT.search(line)
        if port and port.group(1) == "53":
            bad.append(line)
            continue
        address = _INET.search(line)
        if address and not address.group(1).startswith(_LOCAL):
            bad.append(line)
    return bad


def traced(strace: str, tmp_path: Path, *args: str, home: Path, model: Path) -> tuple[int, str, str]:
    log = tmp_path / f"trace-{args[0]}.txt"
    result = tonus(
        *args,
        home=home,
        prefix=(strace, "-f", "-qq", "-e", "trace=connect,sendto,execve", "-o", str(log)),
        timeout=300,
        TONUS_FACE_MODEL=str(model),
    )
    return result.returncode, result.stderr, log.read_text()


def children(trace: str) -> list[str]:
    """execve calls that started a program other than this Python (every one that succeeded)."""
    return [
        line
        for line in trace.splitlines()
        if "execve(" in line and "= 0" in line and sys.executable not in line and "strace" not in line
    ]


def test_the_trace_reader_catches_dns_and_outside_connects() -> None:
    trace = "\n".join(
        [
            '1 connect(6, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.0.0.53")}, 16) = 0',
            '1 connect(7, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("142.250.1.1")}, 16)',
            '1 connect(8, {sa_family=AF_INET, sin_port=htons(9), sin_addr=inet_addr("127.0.0.1")}, 16) = -1',
            '1 connect(9, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        ]
    )
    assert len(outside_traffic(trace)) == 2


def test_analyze_and_import_send_nothing_outside(
    strace: str, tmp_path: Path, faces_dir: Path, model_path: Path
) -> None:
    folder = faces_dir / "protocol" / "p1a"
    home = tmp_path / "home"
    code, err, trace = traced(
        strace, tmp_path, "analyze", "--json", str(folder / "rest.jpg"), home=home, model=model_path
    )
    assert code == 0, err
    assert outside_traffic(trace) == []
    assert children(trace) == []
    code, err, trace = traced(
        strace, tmp_path, "import", "--date", "2025-01-06", str(folder), home=home, model=model_path
    )
    assert code == 0, err
    assert outside_traffic(trace) == []
    assert children(trace) == []
