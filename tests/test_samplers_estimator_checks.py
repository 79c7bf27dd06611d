"""imbalanced-learn / scikit-learn estimator checks and the docstring examples of our samplers."""

from __future__ import annotations

import doctest
import importlib

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.utils.estimator_checks import check_estimator

from imbaug.resampling import EOS, BalancedSVM, ReMix, RemixChou

# Seeded, as imbalanced-learn tests its own samplers: some checks compare two fits.
SAMPLERS = [
    EOS(k_neighbors=3, random_state=0),
    ReMix(random_state=0),
    RemixChou(random_state=0),
    BalancedSVM(k_neighbors=3, random_state=0),
]

# Checks a sampler fails by design, with the reason (marked xfail, so a check that starts
# passing is reported).
RELABELS = (
    "Balanced SVM replaces the labels of synthetic rows with an SVM's predictions, "
    "so class counts are balanced only as far as the SVM agrees with SMOTE"
)


DENSE_ONLY = (
    "dense input only: sparse data (here a pandas frame of sparse columns) is "
    "rejected with a TypeError; pixels and feature embeddings are dense"
)


def expected_failures(estimator):
    failures = {"check_samplers_pandas_sparse": DENSE_ONLY}
    if isinstance(estimator, BalancedSVM):
        failures |= {
            "check_samplers_fit_resample": RELABELS,
            "check_samplers_sampling_strategy_fit_resample": RELABELS,
        }
    return failures


@parametrize_with_checks(SAMPLERS, expected_failed_checks=expected_failures)
def test_imblearn_estimator_checks(estimator, check):
    check(estimator)


@pytest.mark.parametrize("sampler", SAMPLERS, ids=lambda s: type(s).__name__)
def test_sklearn_api_checks(sampler):
    """scikit-learn's API checks (clone, get_params/set_params, parameter validation, pickling,
    n_features_in_) on an over-sampler, which sklearn sees as a plain estimator."""
    check_estimator(
        sampler,
        expected_failed_checks={
            name: "an over-sampler has no predict/transform; imbalanced-learn's checks above cover "
            "fit_resample"
            for name in (
                "check_fit2d_1sample",
                "check_fit2d_1feature",
                "check_fit2d_predict1d",
                "check_methods_subset_invariance",
                "check_methods_sample_order_invariance",
            )
        },
    )


@pytest.mark.parametrize(
    "module",
    [
        "imbaug.resampling.eos",
        "imbaug.resampling.remix",
        "imbaug.resampling.balanced_svm",
        "imbaug.resampling.registry",
    ],
)
def test_docstring_examples_run(module):
    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if module != "imbaug.resampling.registry":
        assert result.attempted > 0


@pytest.mark.parametrize("cls", [EOS, ReMix, RemixChou, BalancedSVM])
def test_constructors_are_keyword_only_with_random_state_none(cls):
    with pytest.raises(TypeError):
        cls(5)
    assert cls().random_state is None
    assert "References" in cls.__doc__ and "Examples" in cls.__doc__
