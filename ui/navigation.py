"""The page registry: one list feeds the navigation, the home page's cards and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class PageInfo:
    url_path: str  # "" for the home page
    file: str  # relative to the project root
    title: str
    icon: str  # a Material icon, e.g. ":material/functions:"
    section: str
    promise: str  # one line for the home page's card

    @property
    def exists(self) -> bool:
        return (ROOT / self.file).is_file()


HOME = PageInfo(
    "",
    "pages/home.py",
    "Start here",
    ":material/home:",
    "Start",
    "The training loop: forward, loss, backward, update — and a map of the lab.",
)

PAGES: tuple[PageInfo, ...] = (
    HOME,
    PageInfo(
        "derivatives",
        "pages/derivatives.py",
        "Derivatives",
        ":material/show_chart:",
        "Derivatives",
        "Slopes, tangents and finite differences — and why h = 1e-16 is a bad idea.",
    ),
    PageInfo(
        "gradients",
        "pages/gradients.py",
        "Gradients",
        ":material/explore:",
        "Derivatives",
        "Partial derivatives on a 2-D loss surface; the gradient points uphill.",
    ),
    PageInfo(
        "gradient_descent",
        "pages/gradient_descent.py",
        "Gradient descent",
        ":material/south_east:",
        "Derivatives",
        "Walk downhill with SGD, momentum and Adam; watch a big learning rate blow up.",
    ),
    PageInfo(
        "backprop",
        "pages/backprop.py",
        "Backpropagation",
        ":material/hub:",
        "Backpropagation",
        "Train the article's XOR network live and open up the chain rule for any weight.",
    ),
    PageInfo(
        "jacobians",
        "pages/jacobians.py",
        "Jacobians & VJPs",
        ":material/grid_on:",
        "Backpropagation",
        "Matrices of partial derivatives, and why backprop never builds them.",
    ),
    PageInfo(
        "playground",
        "pages/playground.py",
        "Network playground",
        ":material/bubble_chart:",
        "Backpropagation",
        "Any small network on 2-D data or your own points; every weight's chain rule.",
    ),
    PageInfo(
        "autodiff",
        "pages/autodiff.py",
        "Autodiff",
        ":material/account_tree:",
        "Backpropagation",
        "A micrograd-style engine: see the graph and step through the backward pass.",
    ),
    PageInfo(
        "activations",
        "pages/activations.py",
        "Activations",
        ":material/ssid_chart:",
        "Building blocks",
        "Sigmoid, tanh, ReLU, GELU…: each function and its derivative, saturation shaded.",
    ),
    PageInfo(
        "losses",
        "pages/losses.py",
        "Losses",
        ":material/target:",
        "Building blocks",
        "MSE and cross-entropies, and softmax + cross-entropy collapsing to p − y.",
    ),
    PageInfo(
        "vanishing_gradients",
        "pages/vanishing_gradients.py",
        "Vanishing gradients",
        ":material/trending_down:",
        "Training in practice",
        "Why deep sigmoid stacks stop learning, and the four remedies that fix it.",
    ),
    PageInfo(
        "gradient_checking",
        "pages/gradient_checking.py",
        "Gradient checking",
        ":material/fact_check:",
        "Training in practice",
        "Catch a bug in a hand-written backward pass with finite differences.",
    ),
)


def available_pages() -> list[PageInfo]:
    """The pages whose files exist, in navigation order."""
    return [p for p in PAGES if p.exists]


def page_by_url(url_path: str) -> PageInfo:
    for p in PAGES:
        if p.url_path == url_path:
            return p
    raise KeyError(url_path)
