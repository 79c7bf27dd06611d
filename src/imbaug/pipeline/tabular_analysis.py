"""The tabular analyses of the DA and CE papers over stored models (nothing is retrained).

Each function returns a long table with one row per (split, space, method[, class, rank]);
``results/tables/*.csv`` are aggregations of these over splits and datasets.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from imbaug.analysis import embeddings, support_vectors, top_k, weights
from imbaug.pipeline.tabular import predict, split_data

TOP_BARS = 5  # DA paper Figs 11-12 show the top-5 features per class


def analyse(
    classifier: str, names, data, partition, models: dict, statuses: pd.DataFrame, provenance: dict
) -> dict[str, pd.DataFrame]:
    """Every analysis ``names`` of one classifier of one dataset.

    Parameters
    ----------
    classifier : "SVM", "LG" or "NN"
    names : iterable of "support_vectors", "weights", "top_k", "embeddings"
    data : TabularData
    partition : DataFrame of the stored splits
    models : dict ``(split, space, method) -> model`` (see load_tabular_models)
    statuses : DataFrame of resampling status rows
    provenance : dict ``split -> DataFrame`` of the stored resampled sets (input space)

    Returns
    -------
    dict name -> DataFrame, each with ``dataset`` and ``classifier`` columns.
    """
    functions = {
        "support_vectors": _support_vectors,
        "weights": _weights,
        "top_k": _top_k,
        "embeddings": _embeddings,
    }
    context = _Context(classifier, data, partition, models, statuses, provenance)
    return {
        name: functions[name](context).assign(dataset=data.name, classifier=classifier)
        for name in names
    }


class _Context:
    def __init__(self, classifier, data, partition, models, statuses, provenance):
        self.classifier, self.data, self.partition = classifier, data, partition
        self.models, self.statuses, self.provenance = models, statuses, provenance
        self._parts = {}

    def part(self, split):
        if split not in self._parts:
            self._parts[split] = split_data(self.data, self.partition, split)
        return self._parts[split]

    def runs(self):
        """(split, space, method, model or None) of every status row, Base first per split."""
        for status in self.statuses.sort_values("split", kind="stable").to_dict("records"):
            key = (status["split"], status["space"], status["method"])
            yield (*key, self.models.get(key) if status["applicable"] else None)

    def base(self, split):
        return self.models.get((split, "input", "Base"))


def _row(split, space, method, model, **values) -> dict:
    return {
        "split": split,
        "space": space,
        "method": method,
        "applicable": model is not None,
        **values,
    }


def _support_vectors(ctx: _Context) -> pd.DataFrame:
    rows, bases = [], {}
    for split, space, method, model in ctx.runs():
        if model is None:
            rows.append(_row(split, space, method, None))
            continue
        frame = ctx.provenance[split]
        source = frame.loc[frame["method"] == method, "source_index"].to_numpy()
        summary = support_vectors.sv_summary(model, source)
        if split not in bases:
            base = ctx.base(split)
            base_source = ctx.provenance[split].query("method == 'Base'")["source_index"].to_numpy()
            bases[split] = (
                support_vectors.sv_summary(base, base_source) if base is not None else None
            )
        values = (
            support_vectors.compare_to_base(summary, bases[split])
            if bases[split]
            else {k: v for k, v in summary.items() if k != "sv_source"}
        )
        rows.append(_row(split, space, method, model, **values))
    return pd.DataFrame(rows)


def classification_weight(classifier: str, model) -> np.ndarray:
    """The classification layer's weights without bias: LG ``coef_`` (1, d), NN head (C, d//2)."""
    if classifier == "LG":
        return np.asarray(model.coef_, dtype=np.float64)
    return model.head.weight.detach().numpy().astype(np.float64)


def _weights(ctx: _Context) -> pd.DataFrame:
    rows = []
    for split, space, method, model in ctx.runs():
        if model is None:
            rows.append(_row(split, space, method, None))
            continue
        weight = classification_weight(ctx.classifier, model)
        base = ctx.base(split)
        norms = weights.class_norms(weight)
        per_class = (
            {f"norm_class{c}": norms[c] for c in range(len(norms))} if len(norms) > 1 else {}
        )
        base_weight = classification_weight(ctx.classifier, base) if base is not None else None
        change, excluded = (
            (weights.weight_change(weight, base_weight), weights.negligible_share(base_weight))
            if base_weight is not None
            else (np.nan, np.nan)
        )
        rows.append(
            _row(
                split,
                space,
                method,
                model,
                frobenius_norm=weights.frobenius_norm(weight),
                **per_class,
                weight_change=change,
                weight_change_excluded=excluded,
            )
        )
    return pd.DataFrame(rows)


def _importance(ctx: _Context, split, model) -> dict:
    part = ctx.part(split)
    if ctx.classifier == "LG":
        attribution = embeddings.linear_contributions(model, part.X_test)[0]
        predicted = model.predict(part.X_test)
    else:
        attribution, predicted = top_k.input_gradients(model, part.X_test)
    return top_k.class_importance(attribution, part.y_test, predicted)


def _top_k(ctx: _Context) -> pd.DataFrame:
    rows, bases = [], {}
    for split, space, method, model in ctx.runs():
        if model is None:
            rows.append(_row(split, space, method, None))
            continue
        if split not in bases:
            base = ctx.base(split)
            bases[split] = _importance(ctx, split, base) if base is not None else None
        importance = _importance(ctx, split, model)
        overlap = (
            top_k.top_k_overlap(importance, bases[split])
            if bases[split] is not None and set(bases[split]) == set(importance)
            else np.nan
        )
        for label, values in importance.items():
            for rank, feature in enumerate(top_k.top_k_indices(values, TOP_BARS)):
                rows.append(
                    _row(
                        split,
                        space,
                        method,
                        model,
                        overlap=overlap,
                        **{"class": label},
                        rank=rank,
                        feature=ctx.data.feature_names[feature],
                        importance=values[feature],
                    )
                )
    return pd.DataFrame(rows)


def _embeddings(ctx: _Context) -> pd.DataFrame:
    contributions = (
        embeddings.svm_contributions if ctx.classifier == "SVM" else embeddings.linear_contributions
    )
    rows = []
    for split, space, method, model in ctx.runs():
        if model is None:
            rows.append(_row(split, space, method, None))
            continue
        part = ctx.part(split)
        ce, bias = contributions(model, part.X_test)
        for summary in embeddings.class_summaries(
            ce, bias, part.y_test, predict(ctx.classifier, model, part.X_test)
        ):
            profile = pd.DataFrame(summary.pop("profile"))
            for record in profile.to_dict("records"):
                rows.append(_row(split, space, method, model, **summary, **record))
    return pd.DataFrame(rows)
