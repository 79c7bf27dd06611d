"""The paper presets follow the papers: LDAM and LDAM-DRW both run and each table takes the
right one; EOS Table V's architectures and epochs; SVHN without flips; EOS Table I's Remix row."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
import yaml
from snakemake.utils import validate

from imbaug.analysis.tables import image_accuracy, image_accuracy_markdown
from imbaug.models import build_model
from workflow_helpers import REPO, deep_update


def common_of(study: str) -> dict:
    """workflow/rules/common.smk evaluated on config.yaml updated with ``studies/<study>``."""
    config = yaml.safe_load((REPO / "config.yaml").read_text())
    deep_update(config, yaml.safe_load((REPO / "studies" / study).read_text()))
    validate(config, str(REPO / "workflow/schemas/config.schema.yaml"))
    namespace = {"config": config, "Path": Path}
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        exec(
            compile((REPO / "workflow/rules/common.smk").read_text(), "common.smk", "exec"),
            namespace,
        )
    finally:
        os.chdir(cwd)
    return namespace


@pytest.fixture(scope="module")
def paper():
    return common_of("paper.yaml")


@pytest.fixture(scope="module")
def architectures():
    return common_of("eos-architectures.yaml")


def test_paper_study_trains_ldam_and_ldam_drw(paper):
    losses = paper["IMAGE"]["losses"]
    assert "LDAM" in losses and "LDAM_DRW" in losses
    trained, _ = paper["image_runs"]("cifar10")
    assert {("resnet32", "LDAM", "Base"), ("resnet32", "LDAM_DRW", "Base")} <= set(trained)


def test_svhn_trains_without_flips_and_cifar_with_them(paper):
    assert paper["image_train_params"]("svhn", "Base", "resnet32")["train"]["flip"] is False
    assert paper["image_train_params"]("cifar10", "Base", "resnet32")["train"]["flip"] is True


def test_eos_table_v_architectures_and_epochs(architectures):
    trained, latent = architectures["image_runs"]("cifar10")
    assert {arch for arch, *_ in trained} == {"resnet56", "wrn22_4", "densenet100"}
    epochs = {
        arch: architectures["image_train_params"]("cifar10", "Base", arch)["train"]["epochs"]
        for arch in ("resnet56", "wrn22_4", "densenet100")
    }
    assert epochs == {"resnet56": 200, "wrn22_4": 100, "densenet100": 200}
    sizes = {arch: sum(p.numel() for p in build_model(arch, 10).parameters()) for arch in epochs}
    assert 4.5 < sizes["wrn22_4"] / sizes["resnet56"] < 5.5  # "approx. 5X the parameters"
    assert 0.8 < sizes["densenet100"] / sizes["resnet56"] < 1.2


def _metrics():
    """Base and latent EOS rows for LDAM (BAC .1x) and LDAM_DRW (BAC .2x), CE and REMIX."""
    rows = []
    for loss, bac in (("CE", 0.3), ("LDAM", 0.1), ("LDAM_DRW", 0.2)):
        for method, space, extra in (("Base", "input", 0.0), ("EOS", "latent", 0.05)):
            rows.append(
                {
                    "dataset": "d",
                    "cut": 0,
                    "arch": "a",
                    "loss": loss,
                    "method": method,
                    "space": space,
                    "bac": bac + extra,
                    "gm": 0.0,
                    "gm_macro": 0.0,
                    "fm": 0.0,
                }
            )
    rows.append(
        {
            "dataset": "d",
            "cut": 0,
            "arch": "a",
            "loss": "CE",
            "method": "REMIX",
            "space": "input",
            "bac": 0.77,
            "gm": 0.0,
            "gm_macro": 0.0,
            "fm": 0.0,
        }
    )
    return pd.DataFrame(rows)


def _section(text: str, title: str) -> str:
    return text.split(title, 1)[1].split("###", 1)[0]


def test_each_table_takes_its_ldam():
    text = image_accuracy_markdown(image_accuracy(_metrics()))
    table_ii = _section(text, "(EOS paper Table II)")
    assert "| LDAM-DRW | 0.2000 / 0.0000 / 0.0000 |" in table_ii  # Baseline column: LDAM_DRW
    assert "| LDAM (not in the paper's table) | 0.1000" in table_ii
    assert table_ii.index("| CE |") < table_ii.index("| LDAM-DRW |") < table_ii.index("| LDAM (")
    table_v = _section(text, "(DA paper Table V)")
    assert "| LDAM | 0.1000 / 0.0000 / 0.0000 |" in table_v  # DA Table V: LDAM without DRW


def test_eos_table_i_has_the_remix_row_in_pixel_space_only():
    table_i = _section(image_accuracy_markdown(image_accuracy(_metrics())), "(EOS paper Table I)")
    assert "| Remix | 0.7700 / 0.0000 / 0.0000 | – |" in table_i
