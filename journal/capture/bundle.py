"""Read MediaPipe's canonical face mesh out of the `face_landmarker.task` bundle (no protobuf needed)."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from journal.errors import ModelMissingError

_METADATA = "geometry_pipeline_metadata_landmarks.binarypb"
_VERTEX_FLOATS = 5  # VERTEX_PT: x, y, z, u, v


def _varint(buf: bytes, pos: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return result, pos


def _fields(buf: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """Yield (field number, wire type, value) for one protobuf message."""
    pos = 0
    while pos < len(buf):
        key, pos = _varint(buf, pos)
        field, wire = key >> 3, key & 7
        value: int | bytes
        if wire == 0:
            value, pos = _varint(buf, pos)
        elif wire == 1:
            value, pos = buf[pos : pos + 8], pos + 8
        elif wire == 2:
            size, pos = _varint(buf, pos)
            value, pos = buf[pos : pos + size], pos + size
        elif wire == 5:
            value, pos = buf[pos : pos + 4], pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        yield field, wire, value


def parse_canonical_mesh(metadata: bytes) -> np.ndarray:
    """Return the canonical mesh vertices (468×3, cm) from the geometry pipeline metadata."""
    floats: list[float] = []
    for field, wire, value in _fields(metadata):
        if field != 1 or wire != 2:  # canonical_mesh: Mesh3d
            continue
        assert isinstance(value, bytes)
        for mfield, mwire, mvalue in _fields(value):
            if mfield != 3:  # vertex_buffer
                continue
            assert isinstance(mvalue, bytes)
            if mwire == 5:
                floats.append(struct.unpack("<f", mvalue)[0])
            elif mwire == 2:  # packed encoding
                floats.extend(np.frombuffer(mvalue, "<f4").tolist())
    vertices = np.asarray(floats, dtype=np.float64)
    if vertices.size == 0 or vertices.size % _VERTEX_FLOATS:
        raise ValueError("no canonical mesh in the geometry metadata")
    return vertices.reshape(-1, _VERTEX_FLOATS)[:, :3].copy()


def load_canonical_mesh(model_path: Path) -> np.ndarray:
    """Read the canonical face mesh (468×3, cm; +x subject left, y up, z to camera) from the bundle."""
    try:
        with zipfile.ZipFile(model_path) as bundle:
            metadata = bundle.read(_METADATA)
        return parse_canonical_mesh(metadata)
    except (OSError, KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise ModelMissingError(
            f"{model_path} is not a usable face_landmarker.task ({exc}): "
            "reinstall it with `tonus model install`."
        ) from exc
