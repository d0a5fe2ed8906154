"""The model files in ``var/suggest/``: versioned, swapped atomically, the previous one kept.

Each training writes ``model-<UTC time>.joblib`` (the model with its `meta`: training date,
case count, held-out evaluation), then points ``current.json`` at it by writing a temporary file
and renaming it over the old pointer (atomic on one file system), naming the model it replaced
as ``previous``. Older files than those two are removed. `rollback` points back at the previous
model. A process reloads when the pointer changes (one stat per suggestion), so the web workers
take up a model the scheduler trained without a restart. Nothing is downloaded: a missing or
unreadable file is reported by `load` and the service falls back to the keyword search.
"""

from __future__ import annotations

import datetime
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import joblib
from django.conf import settings

from grassroots.cases.suggest.model import FORMAT, Model

POINTER = "current.json"


def folder() -> Path:
    return Path(settings.SUGGEST_DIR)


def _pointer() -> dict[str, Any]:
    try:
        data = json.loads((folder() / POINTER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_pointer(data: dict[str, Any]) -> None:
    tmp = folder() / f".{POINTER}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder() / POINTER)


def save(model: Model) -> Path:
    """Write `model` as a new version and make it the current one; keep the one it replaces."""
    base = folder()
    # a model file is a pickle (loading one runs code): only this account may write there
    base.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S%f")
    path = base / f"model-{stamp}.joblib"
    tmp = base / f".{path.name}.tmp"
    joblib.dump(model, tmp, compress=3)
    os.replace(tmp, path)
    old = _pointer().get("current")
    _write_pointer({"current": path.name, "previous": old, "meta": model.meta})
    keep = {path.name, old}
    for f in base.glob("model-*.joblib"):
        if f.name not in keep:
            f.unlink(missing_ok=True)
    return path


def rollback() -> str:
    """Point back at the previous model; its name, or raise if there is none."""
    pointer = _pointer()
    previous = pointer.get("previous")
    if not previous or not (folder() / previous).exists():
        raise FileNotFoundError("no previous model to roll back to")
    _write_pointer({"current": previous, "previous": pointer.get("current"), "meta": {}})
    return str(previous)


@dataclass
class Loaded:
    """The current model, or why there is none (`problem`)."""

    model: Model | None
    name: str = ""
    problem: str = ""


_lock = threading.Lock()
_cache: dict[str, Any] = {}


def load() -> Loaded:
    """The current model, read once per version of the pointer; never raises."""
    path = folder() / POINTER
    try:
        stamp = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return Loaded(None, problem="no model has been trained yet")
    with _lock:
        if _cache.get("stamp") == stamp:
            return _cache["loaded"]
        loaded = _read(_pointer().get("current"))
        _cache.update(stamp=stamp, loaded=loaded)
        return loaded


def _read(name: Any) -> Loaded:
    if not isinstance(name, str) or "/" in name or not name.startswith("model-"):
        return Loaded(None, problem="the model pointer is unreadable")
    try:
        model = joblib.load(folder() / name)
    except FileNotFoundError:
        return Loaded(None, name, "the model file is missing")
    except Exception as exc:
        return Loaded(None, name, f"the model file is unreadable ({type(exc).__name__})")
    if not isinstance(model, Model) or getattr(model, "format", None) != FORMAT:
        return Loaded(None, name, "the model file is of another format")
    return Loaded(model, name)


def forget() -> None:
    """Drop the cached model (tests, and after a rollback in this process)."""
    with _lock:
        _cache.clear()
