"""imbaug: data augmentation on imbalanced data, in input space and in a network's latent space."""

__version__ = "0.1.0"
