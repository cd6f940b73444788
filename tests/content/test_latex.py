import pytest

from companion.content.latex import latex_to_unicode, render_math


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (r"$\nabla_\theta J(\theta)$", "∇_θ J(θ)"),
        (r"$x_i^2$", "xᵢ²"),
        (r"$\sum_{i=1}^{n} x_i$", "∑ᵢ₌₁ⁿ xᵢ"),
        (r"$\hat{y} = \mathbf{w}^\top \mathbf{x} + b$", "ŷ = 𝐰ᵀ 𝐱 + b"),
        (r"$\frac{\partial L}{\partial w}$", "(∂L)/(∂w)"),
        (r"$\sigma(x) = \frac{1}{1+e^{-x}}$", "σ(x) = 1/(1+e⁻ˣ)"),
        (r"$\mathbb{R}^{n}$", "ℝⁿ"),
        (r"$\alpha \in (0, 1)$", "α ∈ (0, 1)"),
        (r"$\sqrt{x+1}$", "√(x+1)"),
        (r"$\|x\|_2$", "‖x‖₂"),
        (r"$\Delta w \leq \epsilon$", "Δ w ≤ ε"),
    ],
)
def test_inline_latex_becomes_unicode(written, shown):
    assert render_math(written) == shown


@pytest.mark.parametrize(
    "written",
    [r"$\begin{matrix} a \end{matrix}$", r"$\mathbb{K}$", r"$\frac{1}$", r"$x^{\unknown}$"],
)
def test_what_unicode_cannot_show_stays_as_source(written):
    assert render_math(written) == written


def test_dollars_in_prose_are_left_alone_and_text_around_math_is_kept():
    assert render_math("It costs $5 and $6 today.") == "It costs $5 and $6 today."
    assert render_math(r"Loss $L(\theta)$ falls.") == "Loss L(θ) falls."
    assert latex_to_unicode(r"\hat{xy}") is None
