"""Artifact I/O: atomic writes give files the user's umask, a failed write leaves nothing."""

import os
import stat

import pandas as pd
import pytest
import torch

from imbaug.io import atomic_path, current_umask, save_torch, write_csv, write_parquet, write_text

FRAME = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
WRITERS = {
    "parquet": lambda path: write_parquet(FRAME, path),
    "csv": lambda path: write_csv(FRAME, path),
    "md": lambda path: write_text("# table\n", path),
    "pt": lambda path: save_torch({"w": torch.zeros(2)}, path),
}


@pytest.fixture
def umask():
    """Set the process umask for one test and restore it afterwards."""
    previous = os.umask(0o022)
    yield lambda mask: os.umask(mask)
    os.umask(previous)


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.mark.parametrize("mask", [0o022, 0o027, 0o002, 0o077])
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_written_files_follow_the_umask(tmp_path, umask, mask, kind):
    umask(mask)
    path = tmp_path / "out" / f"result.{kind}"
    WRITERS[kind](path)
    assert _mode(path) == 0o666 & ~mask
    # a plain open() gives the same mode: results are as readable as any file the user makes
    (tmp_path / "plain").touch()
    assert _mode(path) == _mode(tmp_path / "plain")


def test_rewrite_of_a_private_file_gets_the_umask_too(tmp_path, umask):
    umask(0o022)
    path = tmp_path / "table.csv"
    path.touch(mode=0o600)
    write_csv(FRAME, path)
    assert _mode(path) == 0o644


def test_current_umask_reads_without_changing(umask):
    umask(0o027)
    assert current_umask() == 0o027
    assert current_umask() == 0o027


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    path = tmp_path / "metrics.parquet"
    write_parquet(FRAME, path)
    with pytest.raises(RuntimeError):
        with atomic_path(path) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("killed")
    assert pd.read_parquet(path).equals(FRAME)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.parquet"]
