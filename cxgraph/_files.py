"""Writing files safely: never half-written, never over the file being read.

Every writer in cxgraph writes a temporary file in the target's folder and moves it into place
with :func:`os.replace`, so a failed write (a full disk, a text a format cannot carry, an
interrupted run) leaves the old file as it was and no partial file behind. Commands that read
one file and write another refuse an output that is the input (the same path, a symbolic or a
hard link to it) unless told to overwrite it.

Examples
--------
>>> import tempfile, pathlib
>>> from cxgraph._files import write_text
>>> path = pathlib.Path(tempfile.mkdtemp()) / "note.txt"
>>> write_text(path, "kept")
>>> path.read_text()
'kept'
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import FormatError

__all__ = ["atomic_path", "encode_error", "refuse_same_file", "write_bytes", "write_text"]


def _default_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; when the block ends without error, move it to ``path``.

    The temporary file keeps the target's extension (writers that tell the format from it work
    unchanged). On any error the temporary file is removed and ``path`` is left untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph._files import atomic_path
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> _ = target.write_text("old")
    >>> try:
    ...     with atomic_path(target) as tmp:
    ...         _ = tmp.write_text("half")
    ...         raise ValueError("interrupted")
    ... except ValueError:
    ...     pass
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('old', ['a.txt'])
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(21, "Is a directory", str(target))
    folder = target.parent
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=folder)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        mode = target.stat().st_mode & 0o7777 if target.exists() else _default_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8",
               newline: str | None = None) -> None:
    r"""Write ``text`` to ``path`` atomically (see :func:`atomic_path`).

    Text the encoding cannot carry (a lone surrogate in UTF-8) raises a
    :class:`~cxgraph.FormatError` naming the file and the position, and leaves ``path`` untouched.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph._files import write_text
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> write_text(path, "old")
    >>> try:
    ...     write_text(path, "bad \udc80")
    ... except cx.FormatError as err:
    ...     print(err.reason.split(":")[0])
    cannot write character '\udc80' at position 4 in utf-8
    >>> path.read_text()
    'old'
    """
    try:
        data = text.encode(encoding) if newline is None else text.replace("\n", newline).encode(encoding)
    except UnicodeEncodeError as err:
        raise encode_error(err, str(path)) from None
    write_bytes(path, data)


def encode_error(err: UnicodeEncodeError, file: str | None) -> FormatError:
    """Return the :class:`~cxgraph.FormatError` for text that an encoding cannot carry."""
    bad = err.object[err.start:err.end]
    return FormatError(f"cannot write character {bad!r} at position {err.start} in {err.encoding}: "
                       f"{err.reason} (a lone surrogate is not text; fix it in the model)", file=file)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    r"""Write ``data`` to ``path`` atomically (see :func:`atomic_path`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from cxgraph._files import write_bytes
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.bin"
    >>> write_bytes(path, b"\x00\x01")
    >>> path.read_bytes()
    b'\x00\x01'
    """
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def refuse_same_file(output: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str] | None], *,
                     force: bool = False) -> None:
    """Raise a :class:`~cxgraph.FormatError` when ``output`` is one of ``inputs`` (unless ``force``).

    The same file is the same path, a symbolic link or a hard link to it
    (:func:`os.path.samefile`); for a folder, the same folder.

    Examples
    --------
    >>> import tempfile, pathlib, os
    >>> from cxgraph._files import refuse_same_file
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "m.yaml").write_text("cxgraph: 1")
    >>> os.link(folder / "m.yaml", folder / "copy.html")
    >>> refuse_same_file(folder / "copy.html", [folder / "m.yaml"])
    Traceback (most recent call last):
    ...
    cxgraph.errors.FormatError: .../copy.html: is the input .../m.yaml (the same file): ...
    >>> refuse_same_file(folder / "copy.html", [folder / "m.yaml"], force=True)
    """
    if force or os.fspath(output) in ("", "-"):
        return
    out = Path(output)
    if not out.exists():
        return
    for given in inputs:
        if given is None or os.fspath(given) in ("", "-") or str(given).startswith("example:"):
            continue
        source = Path(given)
        if not source.exists():
            continue
        if os.path.samefile(out, source):
            raise FormatError(f"is the input {source} (the same file): writing would overwrite what is read; "
                              "write somewhere else, or give --force to overwrite it", file=str(out))
