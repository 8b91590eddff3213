"""Tests for core/datasets.py: generators, splits and the validation of pasted points."""

from __future__ import annotations

import numpy as np
import pytest

from core.datasets import (
    DATASETS,
    MAX_POINTS,
    PointsError,
    make_dataset,
    parse_points,
    points_dataset,
    points_to_text,
)


@pytest.mark.parametrize("name", DATASETS)
@pytest.mark.parametrize("noise", [0.0, 0.5, 1.0])
def test_datasets_are_seeded_balanced_and_in_their_extent(name, noise) -> None:
    a = make_dataset(name, 200, noise, seed=3)
    b = make_dataset(name, 200, noise, seed=3)
    np.testing.assert_array_equal(a.X_train, b.X_train)
    np.testing.assert_array_equal(a.y_test, b.y_test)
    c = make_dataset(name, 200, noise, seed=4)
    if name != "xor_article":
        assert not np.array_equal(a.X_train, c.X_train)
        assert a.X_train.shape[0] + a.X_test.shape[0] == 200
        assert 0.35 < a.y_train.mean() < 0.65
    assert set(np.unique(a.y_train)) == {0, 1}
    x0, x1, y0, y1 = a.extent
    inside = (a.X_train[:, 0] > x0) & (a.X_train[:, 0] < x1) & (a.X_train[:, 1] > y0) & (a.X_train[:, 1] < y1)
    assert inside.mean() > (0.97 if noise < 1 else 0.85)


def test_article_xor_is_the_articles_four_points() -> None:
    d = make_dataset("xor_article")
    np.testing.assert_array_equal(d.X_train, [[0, 0], [0, 1], [1, 0], [1, 1]])
    np.testing.assert_array_equal(d.y_train, [0, 1, 1, 0])


def test_points_round_trip() -> None:
    X = np.array([[0.1, -2.5], [1e-3, 3.0], [2.0, 2.0]])
    y = np.array([0, 1, 0])
    X2, y2 = parse_points(points_to_text(X, y))
    np.testing.assert_array_equal(X2, X)
    np.testing.assert_array_equal(y2, y)
    X3, _ = parse_points("x1,x2,label\n" + points_to_text(X, y, sep=";") + "\n\n")
    np.testing.assert_array_equal(X3, X)


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        ("0,0,0\n1,1", 2, None, "3 columns"),
        ("0,0,0\n1,1,1,1", 2, None, "3 columns"),
        ("0,0,0\n1,abc,1", 2, 2, "not a number"),
        ("zz,0,0\n1,1,1", 1, 1, "not a number"),
        ("0,0,0\n1,nan,1", 2, 2, "between"),
        ("0,0,0\n1,1e9,1", 2, 2, "between"),
        ("0,0,0\n1,1,2", 2, 3, "class label"),
        ("0,0,0\n1,1,yes", 2, 3, "class label"),
        ("0,0,1\n1,1,1", None, 3, "each class"),
        ("0,0,1", None, None, "at least 2"),
        ("", None, None, "at least 2"),
    ],
)
def test_bad_points_name_row_and_column(text, row, column, words) -> None:
    with pytest.raises(PointsError) as err:
        parse_points(text)
    assert (err.value.row, err.value.column) == (row, column)
    assert words in str(err.value)
    if row is not None:
        assert str(err.value).startswith(f"Row {row}")
    if column is not None:
        assert f"column {column}" in str(err.value).lower()


def test_too_many_points_are_refused_at_the_first_extra_row() -> None:
    text = "\n".join(f"{i % 11},{i % 7},{i % 2}" for i in range(MAX_POINTS + 5))
    with pytest.raises(PointsError, match=f"at most {MAX_POINTS}") as err:
        parse_points(text)
    assert err.value.row == MAX_POINTS + 1
    with pytest.raises(PointsError, match="too long"):
        parse_points("0," * 100_000)


def test_points_dataset_splits_only_when_there_are_enough() -> None:
    X = np.random.RandomState(0).randn(6, 2)
    y = np.array([0, 1, 0, 1, 0, 1])
    small = points_dataset(X, y)
    np.testing.assert_array_equal(small.X_test, X)
    big = points_dataset(np.random.RandomState(0).randn(40, 2), np.arange(40) % 2)
    assert big.X_train.shape[0] + big.X_test.shape[0] == 40
    x0, x1, y0, y1 = big.extent
    assert x0 < big.X_train[:, 0].min() and x1 > big.X_train[:, 0].max()
