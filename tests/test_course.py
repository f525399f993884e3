"""The course's chapters carry the exercises COURSE.md names, with their points."""

import nbformat
import pytest

from autograder.course import chapters, load_chapter, source_notebook

# Fixed by the spec (shared/COURSE.md): tests and outside tools address exercises by name.
SPEC = {
    "ch01_tensors_autograd": ["standardize", "one_hot", "derivative_at", "train_w_autograd"],
    "ch02_linear_regression": ["mse_grad", "train_gd", "fit_lstsq"],
    "ch03_nn_module": ["make_named_mlp", "split_indices", "training_loop"],
    "ch04_logistic_regression": ["bce", "train_logreg", "fit_scaler", "fit_breast_cancer"],
    "ch05_softmax_cross_entropy": ["softmax", "cross_entropy", "train_softmax_classifier"],
    "ch06_data_and_regression": ["TabularDataset", "r2", "l2_penalty", "fit_diabetes"],
    "ch07_perceptron_xor": ["perceptron", "GATE_WEIGHTS", "xor_from_gates", "make_xor_net",
                            "train_xor"],
    "ch08_backprop_by_hand": ["sigmoid_prime", "xor_backward", "train_xor_by_hand",
                              "numerical_grad", "rel_error"],
    "ch09_activations": ["relu", "leaky_relu", "tanh_prime", "layer_grad_norms"],
    "ch10_weight_init": ["xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
                         "activation_std_by_depth"],
    "ch11_optimizers": ["sgd_momentum", "rmsprop", "adam"],
    "ch12_dropout_batchnorm": ["dropout", "batchnorm1d", "evaluate"],
    "ch13_mnist_mlp": ["build_softmax_model", "build_mlp_model", "train_classifier"],
    "ch14_cnn": ["conv_out", "conv2d_naive", "LeNet5", "InceptionBlock", "Bottleneck",
                 "make_vgg_layers"],
}


def test_spec_has_55_exercises():
    assert sum(len(v) for v in SPEC.values()) == 55


def test_every_chapter_is_a_spec_chapter():
    assert set(chapters()) <= set(SPEC)


@pytest.mark.parametrize("chapter", sorted(set(SPEC) & set(chapters())))
def test_exercises_and_points(chapter):
    ch = load_chapter(chapter)
    assert ch.exercises == SPEC[chapter]
    assert ch.max_score == 10
    assert all(p > 0 for p in ch.exercise_points().values())


@pytest.mark.parametrize("chapter", chapters())
def test_source_notebook_is_valid_nbgrader_source(chapter):
    nb = nbformat.read(source_notebook(chapter), as_version=4)
    nbformat.validate(nb)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    for c in nb.cells:
        meta = c.metadata.get("nbgrader")
        if meta and (meta.get("grade") or meta.get("locked")) and not meta.get("solution"):
            assert meta["locked"], f"{meta['grade_id']}: test cells must be read-only"
