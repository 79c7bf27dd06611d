"""Balanced SVM: SMOTE whose synthetic rows are relabelled by an SVM fitted on the originals."""

from __future__ import annotations

from numbers import Integral

from imblearn.over_sampling import SMOTE
from imblearn.over_sampling.base import BaseOverSampler
from sklearn.svm import SVC
from sklearn.utils._param_validation import Interval


class BalancedSVM(BaseOverSampler):
    """SMOTE, then the labels of the synthetic rows are replaced by an SVM's predictions.

    The SVM is ``sklearn.svm.SVC(**svm_params)`` (sklearn defaults when
    ``svm_params`` is None) fitted on the original rows only. The output holds the
    original rows first (same order, labels unchanged), then the SMOTE rows. The
    number of rows equals SMOTE's, but classes are balanced only as far as the SVM
    agrees with SMOTE's labels.

    Parameters
    ----------
    k_neighbors : int, default=5
        SMOTE neighbours (within the class).
    random_state : int, RandomState instance or None, default=0
        Seed of SMOTE.
    svm_params : dict or None, default=None
        Keyword arguments of ``SVC``.
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn; passed to SMOTE.

    Attributes
    ----------
    smote_ : SMOTE
        The fitted SMOTE sampler.
    svm_ : SVC
        The SVM fitted on the original rows.
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "svm_params": [dict, None],
    }

    def __init__(self, k_neighbors=5, random_state=0, svm_params=None, *, sampling_strategy="auto"):
        super().__init__(sampling_strategy=sampling_strategy)
        self.k_neighbors = k_neighbors
        self.random_state = random_state
        self.svm_params = svm_params

    def _fit_resample(self, X, y):
        self.smote_ = SMOTE(
            sampling_strategy=self.sampling_strategy,
            k_neighbors=self.k_neighbors,
            random_state=self.random_state,
        )
        X_out, y_out = self.smote_.fit_resample(X, y)
        self.svm_ = SVC(**(self.svm_params or {})).fit(X, y)
        n = len(y)
        if len(y_out) > n:
            y_out[n:] = self.svm_.predict(X_out[n:])
        return X_out, y_out
