"""The DA paper's dense network for tabular data: d -> 100 -> 50 -> d//2 -> classes."""

from __future__ import annotations

from torch import nn


class TabularMLP(nn.Module):
    """ReLU network whose d//2-wide last hidden layer is its latent space."""

    def __init__(self, n_features: int, n_classes: int = 2):
        super().__init__()
        self.feature_dim = max(n_features // 2, 1)
        self.encoder = nn.Sequential(
            nn.Linear(n_features, 100),
            nn.ReLU(),
            nn.Linear(100, 50),
            nn.ReLU(),
            nn.Linear(50, self.feature_dim),
            nn.ReLU(),
        )
        self.head = nn.Linear(self.feature_dim, n_classes)

    def features(self, x):
        return self.encoder(x)

    def forward(self, x):
        return self.head(self.encoder(x))
