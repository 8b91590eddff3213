"""On-screen explanations that belong to the pages, not to core's mathematics."""

from __future__ import annotations

BUG_EXPLANATIONS: dict[str, str] = {
    "none": (
        "The network's own `backward`: every gradient should agree with central differences."
    ),
    "forget_m": (
        "dW2 and db2 sum the batch instead of averaging it: they come out m = 4 times too big. "
        "Layer 1 still divides by m, so only W2 and b2 are off."
    ),
    "drop_slope": (
        "δ1 = δ2 W2ᵀ without ⊙ f′(z1): the chain rule loses the hidden activation's factor. "
        "The output layer is untouched; W1 and b1 are wrong."
    ),
    "transpose": (
        "With one output W2 is a 3×1 column: `dz2 @ W2` fails with a shape error, and any "
        "shape-compatible use of W2 holds the same numbers as W2ᵀ — that mistake cannot hide "
        "here. The transpose mix-up that does slip through is where a matrix is not a vector: "
        "dW1 computed as δ1ᵀX (3×2) and reshaped to W1's 2×3 shape. The entries are scrambled "
        "(W1[0,0] and W1[1,2] land in the right place by chance)."
    ),
    "flip_sign": (
        "The output error written y − a2 instead of a2 − y: it enters every gradient through the "
        "chain rule, so every parameter's gradient points the wrong way (relative error 1)."
    ),
}
"""What each planted bug of ``core.gradient_check.BUGS`` does wrong, for the Gradient checking page."""
