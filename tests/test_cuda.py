"""The CUDA path of the image study: bf16 autocast and channels_last in training, full float32
(no bf16, no TF32) in evaluation, artifacts back on the CPU. Skipped without a CUDA device
(CI has none); run on a GPU machine with ``pytest tests/test_cuda.py``."""

import pytest
import torch

from imbaug.data.images import cut_train_set, load_image_source
from imbaug.data.profiles import imbalance_of
from imbaug.device import pick_device
from imbaug.losses import build_loss
from imbaug.models import build_model
from imbaug.pipeline.image import ImageStudy, train_method
from imbaug.pipeline.image_latent import model_features, resample_features, retrain_heads
from imbaug.training.image import TrainConfig, extract_features, predict, train_image_model

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
CPU = torch.device("cpu")
CUDA = torch.device("cuda")
SMALL = dict(epochs=6, batch_size=16, lr=0.05, warmup_epochs=1, pad=1, flip=False)


def separable_images(n: int = 64, size: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    """Class 0: bright left half; class 1: bright right half; plus noise."""
    generator = torch.Generator().manual_seed(0)
    labels = torch.arange(n) % 2
    images = torch.randint(0, 60, (n, 3, size, size), generator=generator)
    images[labels == 0, :, :, : size // 2] += 180
    images[labels == 1, :, :, size // 2 :] += 180
    return images.to(torch.uint8), labels


def trained_on(device: torch.device, loss_name: str = "CE", **config):
    images, labels = separable_images()
    torch.manual_seed(0)
    model = build_model("resnet8", 2, cosine_head=loss_name.startswith("LDAM"))
    loss = build_loss(loss_name, torch.bincount(labels), total_epochs=6)
    settings = TrainConfig(**SMALL, seed=0, **config)
    log = train_image_model(model, images, labels, loss, settings, device)
    return model, log, images, labels


def test_auto_picks_the_gpu():
    assert pick_device("auto").type == "cuda" and pick_device("cuda").type == "cuda"


@pytest.mark.parametrize(("loss_name", "config"), [("CE", {}), ("LDAM_DRW", {"remix": {}})])
def test_training_on_cuda_learns_like_the_cpu(loss_name, config):
    for device in (CUDA, CPU):
        model, log, images, labels = trained_on(device, loss_name, **config)
        assert log["loss"].iloc[-1] < log["loss"].iloc[0], device
        assert (predict(model, images, device) == labels).float().mean() >= 0.95, device


def test_evaluation_on_cuda_is_full_float32_and_restores_the_settings():
    model, _, images, _ = trained_on(CUDA)
    seen = []
    features = model.features
    model.features = lambda x: seen.append(torch.backends.cudnn.allow_tf32) or features(x)
    torch.backends.cudnn.allow_tf32 = True  # PyTorch's default for convolutions
    on_gpu = extract_features(model, images, CUDA)
    assert seen and not any(seen)  # no TF32 while evaluating ...
    assert torch.backends.cudnn.allow_tf32  # ... and the setting is back afterwards
    del model.features
    on_cpu = extract_features(model, images, CPU)
    assert on_gpu.device == CPU and on_gpu.dtype == torch.float32
    assert torch.allclose(on_gpu, on_cpu, rtol=1e-4, atol=1e-4)
    assert torch.equal(predict(model, images, CUDA), predict(model, images, CPU))


def test_the_image_study_runs_on_cuda_end_to_end():
    train, test = load_image_source("digits", "unused", image_size=8, download=False)
    cut = cut_train_set(train, imbalance_of("digits", {}), 0)
    study = ImageStudy(
        train={"epochs": 2, "batch_size": 64, "warmup_epochs": 1, "flip": False},
        head={"epochs": 2},
        k_neighbors=5,
        eos_k=(5,),
        latent_methods=("EOS", "DSM"),
        remix={"alpha": 0.2, "kappa": 3.0, "tau": 0.5},
    )
    for method in ("Base", "SMOTE", "REMIX"):
        model, log, rows, _ = train_method("resnet8", "LDAM_DRW", method, cut, test, study, 0, CUDA)
        assert len(log) == 2 and all(0 <= row["bac"] <= 1 for row in rows), method
    features = model_features(model, cut, test, CUDA)
    assert features["train"].device == CPU and features["train"].shape[0] == len(cut)
    sets = resample_features(features, study, 0, classes=test.classes)
    rows, heads, _ = retrain_heads(model.head, sets, features, test, study, 0, CUDA)
    assert set(heads) == set(sets) and all(0 <= row["bac"] <= 1 for row in rows)
