"""Keep MediaPipe off the network and free of child processes; Tonus itself downloads only the model.

Two things happen when MediaPipe 1.2.x loads and runs, neither of which Tonus wants:

1. Its native library (`libmediapipe.so`) carries a usage logger (`tasks/cc/core/logging`, built with
   a static libcurl) that posts usage statistics to `https://play.googleapis.com/log` from a
   background thread: a DNS lookup, then an HTTPS connection. No option of the Python API switches
   it off (`BaseOptions` has none; clearing its CA bundle or host fields changes nothing).
   libcurl does honour the standard proxy variables, so before MediaPipe loads, `https_proxy` and
   friends are pointed at a closed port on the loopback interface (`SINK`) and `no_proxy` is
   cleared: the logger's request then goes to 127.0.0.1:9, is refused there, and nothing is
   resolved or sent beyond this machine. The person's own proxy settings are kept in
   `user_proxies()` for the one download Tonus makes (`tonus model install`).
2. `import mediapipe` imports `sounddevice` (for audio tasks), whose `ctypes.util.find_library`
   runs `ldconfig`, `gcc` and `ld` to look for PortAudio. Tonus has no audio, so `sounddevice` is
   marked as unavailable (a `None` entry in `sys.modules`, which MediaPipe handles as "not
   installed") and no child process is started.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import Final

#: A closed port on the loopback interface: where MediaPipe's usage logger is sent, and refused.
SINK: Final = "http://127.0.0.1:9"
PROXY_VARIABLES: Final = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
NO_PROXY_VARIABLES: Final = ("no_proxy", "NO_PROXY")

_lock = threading.Lock()
_saved: dict[str, str] | None = None


def prepare_mediapipe() -> None:
    """Call before importing MediaPipe: no child processes at import, no packets to Google after."""
    global _saved
    with _lock:
        sys.modules.setdefault("sounddevice", None)  # type: ignore[arg-type]
        if _saved is None:
            _saved = {k: v for k in (*PROXY_VARIABLES, *NO_PROXY_VARIABLES) if (v := os.environ.get(k))}
        for name in PROXY_VARIABLES:
            os.environ[name] = SINK
        for name in NO_PROXY_VARIABLES:
            os.environ.pop(name, None)


def user_proxies() -> dict[str, str] | None:
    """Return the person's own proxies (scheme → URL) from before MediaPipe loaded; None: untouched."""
    if _saved is None:
        return None
    env = _saved
    proxies: dict[str, str] = {}
    for scheme in ("https", "http"):
        value = env.get(f"{scheme}_proxy") or env.get(f"{scheme.upper()}_PROXY")
        value = value or env.get("all_proxy") or env.get("ALL_PROXY")
        if value and value != SINK:
            proxies[scheme] = value
    return proxies
