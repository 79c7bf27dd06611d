"""Balanced SVM (Farquad & Bose 2012): SMOTE, then an SVM fitted on the balanced set relabels
the synthetic rows."""

from __future__ import annotations

from numbers import Integral

from imblearn.over_sampling import SMOTE
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils._param_validation import Interval

from imbaug.resampling.base import DenseOverSampler


class BalancedSVM(DenseOverSampler):
    """SMOTE, then the labels of the synthetic rows are replaced by an SVM's predictions.

    1. SMOTE (``k_neighbors`` same-class neighbours) balances the data.
    2. ``StandardScaler`` + ``SVC(**svm_params)`` is fitted on that SMOTE-balanced set
       (original and synthetic rows, SMOTE's labels).
    3. Each synthetic row gets the SVM's predicted label; original rows keep theirs.

    This is the preprocessing of Farquad & Bose (2012) as the EOS paper (section II)
    describes Balanced SVM: "uses SMOTE to generate synthetic samples and then replaces
    the 'true' label with a label predicted by a Support Vector Machine model". The SVM
    is fitted on the *balanced* set: one fitted on the imbalanced originals relabels
    nearly every synthetic minority row as majority (on ozone_level all 1,673 of them),
    which undoes the balancing. The output holds the original rows first (same order,
    labels unchanged), then the SMOTE rows (same features as SMOTE's, in X's dtype);
    classes are balanced as far as the SVM agrees with SMOTE's labels.

    Parameters
    ----------
    k_neighbors : int, default=5
        SMOTE neighbours (within the class).
    svm_params : dict or None, default=None
        Keyword arguments of ``sklearn.svm.SVC`` (its defaults when None).
    sampling_strategy : float, str, dict or callable, default="auto"
        As in imbalanced-learn; passed to SMOTE.
    random_state : int, RandomState instance or None, default=None
        Seed of SMOTE.

    Attributes
    ----------
    smote_ : SMOTE
        The fitted SMOTE sampler.
    svm_ : Pipeline
        StandardScaler + SVC fitted on the SMOTE-balanced set.
    relabelled_ : int
        Number of synthetic rows whose label the SVM changed.

    Raises
    ------
    ValueError
        From SMOTE when a class to over-sample has ``k_neighbors`` rows or fewer.

    References
    ----------
    M. A. H. Farquad and I. Bose, "Preprocessing unbalanced data using support vector
    machine", Decision Support Systems 53(1):226-233, 2012 (EOS paper reference [16]).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import make_classification
    >>> from imbaug.resampling import BalancedSVM
    >>> X, y = make_classification(n_samples=300, n_features=2, n_informative=2,
    ...                            n_redundant=0, weights=[0.8, 0.2], class_sep=0.5,
    ...                            random_state=0)
    >>> sampler = BalancedSVM(random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> np.bincount(y_res).tolist()
    [244, 234]
    >>> sampler.relabelled_
    5
    """

    _parameter_constraints: dict = {
        **DenseOverSampler._parameter_constraints,
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "svm_params": [dict, None],
    }

    def __init__(
        self, *, k_neighbors=5, svm_params=None, sampling_strategy="auto", random_state=None
    ):
        super().__init__(sampling_strategy=sampling_strategy, random_state=random_state)
        self.k_neighbors = k_neighbors
        self.svm_params = svm_params

    def _fit_resample(self, X, y):
        self.smote_ = SMOTE(
            sampling_strategy=self.sampling_strategy,
            k_neighbors=self.k_neighbors,
            random_state=self.random_state,
        )
        X_out, y_out = self.smote_.fit_resample(X, y)
        self.svm_ = make_pipeline(StandardScaler(), SVC(**(self.svm_params or {})))
        self.svm_.fit(X_out, y_out)
        n = len(y)
        self.relabelled_ = 0
        if len(y_out) > n:
            predicted = self.svm_.predict(X_out[n:]).astype(y_out.dtype, copy=False)
            self.relabelled_ = int((predicted != y_out[n:]).sum())
            y_out[n:] = predicted
        return X_out, y_out
