"""The method registry is the one source of every method list, and settings reach samplers."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import yaml

from imbaug.data.images import ImageSet
from imbaug.pipeline import image as image_pipeline
from imbaug.pipeline.image import PIXEL_SAMPLERS, ImageStudy
from imbaug.resampling import (
    BUILTIN,
    METHOD_NAMES,
    SETTINGS,
    config_settings,
    configured_spec,
    method_spec,
    names,
    resample,
)
from workflow_helpers import REPO

SCHEMA = yaml.safe_load((REPO / "workflow/schemas/config.schema.yaml").read_text())
CONFIG = yaml.safe_load((REPO / "config.yaml").read_text())


def _enum(name):
    return SCHEMA["definitions"][name]["enum"]


def test_schema_enums_are_the_registry_spaces():
    assert _enum("tabular_method") == list(names("tabular"))
    assert _enum("latent_method") == list(names("latent"))
    assert _enum("pixel_method") == [n for n in names("pixel") if n != "Base"]


def test_method_names_are_the_registry():
    assert METHOD_NAMES == tuple(BUILTIN)
    assert set(METHOD_NAMES) >= {
        "Base",
        "CS",
        "Balanced",
        "ROS",
        "SMOTE",
        "DSM",
        "ADASYN",
        "BSMOTE",
        "BalSVM",
        "REMIX",
        "RemixChou",
        "EOS",
    }


def test_pixel_samplers_are_the_registry_pixel_resamplers():
    assert set(PIXEL_SAMPLERS) == {"ROS", "SMOTE", "BSMOTE", "BalSVM", "EOS"}
    assert PIXEL_SAMPLERS == names("pixel", resamples=True, per_batch=False)


def test_registry_traits_of_the_papers_methods():
    assert {n for n, s in BUILTIN.items() if s.per_batch} == {"REMIX", "RemixChou"}
    assert {n for n, s in BUILTIN.items() if not s.resamples} == {"Base", "CS", "Balanced"}
    assert [n for n, s in BUILTIN.items() if s.cost_sensitive] == ["CS"]
    assert {n for n, s in BUILTIN.items() if "k_neighbors" in s.settings} == {
        "SMOTE",
        "DSM",
        "ADASYN",
        "BSMOTE",
        "BalSVM",
    }
    assert BUILTIN["EOS"].settings == ("eos_k",) and BUILTIN["REMIX"].settings == ("remix_alpha",)
    assert all(spec.reference for spec in BUILTIN.values())


def test_every_setting_has_a_config_key_in_both_sections():
    for setting, path in SETTINGS.items():
        for section in ("tabular", "image"):
            value = CONFIG[section]
            for part in path:
                value = value[part]
            assert value is not None, (section, setting)


# ------------------------------------------------------------------ the workflow's common.smk


@pytest.fixture(scope="module")
def common(tmp_path_factory):
    """The functions of workflow/rules/common.smk (plain Python), on the default config."""
    from pathlib import Path

    from snakemake.utils import validate

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    validate(config, str(REPO / "workflow/schemas/config.schema.yaml"))  # fills defaults
    namespace = {"config": config, "Path": Path}
    code = (REPO / "workflow/rules/common.smk").read_text()
    import os

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        exec(compile(code, "common.smk", "exec"), namespace)
    finally:
        os.chdir(cwd)
    return namespace


def test_image_input_methods_come_from_the_config_and_registry(common):
    assert common["IMAGE_INPUT_METHODS"] == ["Base", *CONFIG["image"]["methods"]]


@pytest.mark.parametrize("method", [n for n in names("pixel") if n != "Base"])
def test_image_train_params_carry_every_setting_the_method_needs(common, method):
    params = common["image_train_params"]("digits", method)
    settings = ImageStudy.from_config(params).settings()
    for name in BUILTIN[method].settings:
        *_, leaf = SETTINGS[name]
        assert settings.get(name) is not None, f"{method} does not receive {name}"
    if "k_neighbors" in BUILTIN[method].settings:
        assert settings["k_neighbors"] == CONFIG["image"]["k_neighbors"]
    if method == "EOS":
        assert params["eos_k"] == CONFIG["image"]["eos_k"][:1]


def test_image_train_params_hold_only_the_settings_used(common):
    assert set(common["image_train_params"]("digits", "ROS")) == {"train"}
    assert common["image_train_params"]("digits", "REMIX")["remix"] == {
        "alpha": CONFIG["image"]["remix"]["alpha"]
    }


def test_image_latent_params_carry_the_latent_samplers_settings(common):
    params = common["image_latent_params"]()
    study = ImageStudy.from_config(params)
    assert study.settings()["k_neighbors"] == CONFIG["image"]["k_neighbors"]  # DSM, BSMOTE, BalSVM
    assert list(study.eos_k) == CONFIG["image"]["eos_k"]


def test_config_settings_name_the_missing_key():
    with pytest.raises(ValueError, match="needs config key image.remix.alpha"):
        config_settings("REMIX", {"remix": {}}, "image")


# ------------------------------------------------------------------ settings reach the sampler


@pytest.fixture
def tiny_images():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], [30, 10])
    images = rng.integers(0, 255, size=(40, 1, 4, 4), dtype=np.uint8)
    return ImageSet(torch.from_numpy(images), torch.from_numpy(labels), ["a", "b"])


def test_pixel_resampling_gets_the_studys_k_neighbors(tiny_images, monkeypatch):
    calls = []

    def spy(method, X, y, **kwargs):
        calls.append(kwargs)
        return resample(method, X, y, **kwargs)

    monkeypatch.setattr(image_pipeline, "resample", spy)
    study = ImageStudy.from_config({"k_neighbors": 3, "eos_k": [7]})
    for method in ("SMOTE", "EOS"):
        image_pipeline.resample_pixels(method, tiny_images, study, cut=0)
    assert calls[0]["k_neighbors"] == 3 and calls[1]["eos_k"] == 7


def test_a_pixel_method_without_its_setting_fails(tiny_images):
    with pytest.raises(ValueError, match="SMOTE needs the setting 'k_neighbors'"):
        image_pipeline.resample_pixels("SMOTE", tiny_images, ImageStudy(), cut=0)


def test_per_batch_methods_get_their_mixing_settings():
    study = ImageStudy.from_config({"remix": {"alpha": 0.3, "kappa": 2.0, "tau": 0.4}})
    assert study.train_config("REMIX", 0).remix == {"method": "REMIX", "alpha": 0.3}
    assert study.train_config("RemixChou", 0).remix == {
        "method": "RemixChou",
        "alpha": 0.3,
        "kappa": 2.0,
        "tau": 0.4,
    }
    assert study.train_config("SMOTE", 0).remix is None
    with pytest.raises(ValueError, match="REMIX needs config image.remix"):
        ImageStudy().train_config("REMIX", 0)


# ------------------------------------------------------------------ config samplers


SVMSMOTE = {
    "name": "SVMSMOTE",
    "sampler": "imblearn.over_sampling.SVMSMOTE",
    "params": {"k_neighbors": 3},
}


def test_a_configured_sampler_resamples_with_provenance():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (60, 3)), rng.normal(1, 1, (15, 3))])
    y = np.repeat([0, 1], [60, 15])
    out = resample(SVMSMOTE, X, y, random_state=0)
    np.testing.assert_array_equal(out.X[:75], X)
    assert out.synthetic[75:].all() and not out.synthetic[:75].any()
    assert method_spec(SVMSMOTE).min_class_size({}) == 4


def test_a_configured_copying_sampler_gives_source_indices():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(40, 2)), np.repeat([0, 1], [30, 10])
    rus = {"name": "RUS", "sampler": "imblearn.under_sampling.RandomUnderSampler"}
    out = resample(rus, X, y, random_state=0)
    assert np.bincount(out.y).tolist() == [10, 10] and not out.synthetic.any()
    np.testing.assert_array_equal(out.X, X[out.source_index])


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"name": "X", "sampler": "imblearn.over_sampling.NoSuchSampler"}, "cannot import sampler"),
        ({"name": "X", "sampler": "no_such_package.Sampler"}, "cannot import sampler"),
        ({"name": "X", "sampler": "sklearn.svm.SVC"}, "not a class with a fit_resample"),
        ({"name": "X", "sampler": "os.system"}, "not a class with a fit_resample"),
        ({"name": "SMOTE", "sampler": "imblearn.over_sampling.SMOTE"}, "is a built-in method"),
        ({"name": "X", "sampler": "imblearn.over_sampling.SMOTE", "params": {"k": 1}}, "fails"),
        ({"name": "X-1", "sampler": "imblearn.over_sampling.SMOTE"}, "needs keys name"),
    ],
)
def test_configured_sampler_errors_name_the_config_key(entry, message):
    with pytest.raises(ValueError, match=message) as error:
        configured_spec(entry, "image.latent_methods")
    assert "config image.latent_methods" in str(error.value)
