"""On-screen explanations that belong to the pages, not to core's mathematics."""

from __future__ import annotations

BUG_EXPLANATIONS: dict[str, str] = {
    "none": ("The network's own `backward`: every gradient should agree with central differences."),
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
"""What each planted bug of ``core.planted_bugs.BUGS`` does wrong, for the Gradient checking page."""

_SLOPE_FORMS: dict[str, str] = {"sigmoid": "a₁(1 − a₁)", "tanh": "1 − a₁²", "relu": "1[z₁ > 0]"}


def chain_factor_meaning(role: str, unit: int | None, activation: str, n_out: int = 1) -> str:
    """What one factor of ``TwoLayerNet.chain_rule_terms`` is, in words, with its closed form.

    ``role`` and ``unit`` are the ``ChainFactor``'s; ``activation`` and ``n_out`` the network's.
    """
    j = unit
    texts = {
        "output_error": "output error a₂ − y",
        "output_slope": "output sigmoid slope σ′(z₂) = a₂(1 − a₂)",
        "output_error_bce": "output error a₂ − y (BCE and the sigmoid cancel)",
        "hidden_activation": f"hidden activation a₁[{j}]",
        "output_bias": "1 (a bias adds straight into z₂)",
        "hidden_weight": f"the weight {f'W₂[{j},0]' if n_out == 1 else f'W₂[{j},·]'} from hidden unit {j}",
        "hidden_slope": f"hidden {activation} slope f′(z₁) = {_SLOPE_FORMS.get(activation, f'{activation}′(z₁)')}",
        "input": f"the input x[{j}]",
        "hidden_bias": "1 (a bias adds straight into z₁)",
    }
    return texts[role]


def chain_step_meaning(
    role: str, unit: int | None, layer: int | None, *, mse: bool, output: str, activations: tuple[str, ...]
) -> str:
    """What one link of ``MLP.chain_path`` is, in words (``role``, ``unit``, ``layer`` are the ``ChainStep``'s;
    ``mse``, ``output`` ("sigmoid" or "softmax") and ``activations`` describe the network)."""
    if role == "output_error":
        return "output error" + (
            " a − y" if not mse else " (a − y)·σ′(z)" if output == "sigmoid" else " Jᵀ(a − y)"
        )
    if role == "hidden_error":
        return f"error reaching hidden unit {unit} of layer {layer} (all paths above summed)"
    if role == "hidden_slope":
        return f"{activations[(layer or 1) - 1]} slope of that unit"
    if role == "hidden_delta":
        return "their product: ∂L/∂z of the unit"
    if role == "input":
        return "the input this weight multiplies" if (layer or 1) > 1 else f"the input x[{unit}]"
    return "a bias adds straight in"


PEAK_TEXT: dict[str, str] = {
    "sigmoid": "x = 0",
    "tanh": "x = 0",
    "relu": "x > 0",
    "leaky_relu": "x > 0",
    "gelu": "x ≈ 1.4185",
    "elu": "x ≥ 0 (for α ≤ 1; x → 0⁻ with peak α when α > 1)",
    "softplus": "x → +∞",
    "silu": "x ≈ 2.3994",
}
"""Where each activation's derivative peaks, as text (keys of ``core.activations.ACTIVATIONS``)."""
