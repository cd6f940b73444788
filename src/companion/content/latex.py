"""Inline LaTeX (`$...$`) in card text shown as Unicode where it can be, else left as source."""

import re
import unicodedata

GREEK = {
    "alpha": "α",
    "beta": "β",
    "gamma": "γ",
    "delta": "δ",
    "epsilon": "ε",
    "varepsilon": "ε",
    "zeta": "ζ",
    "eta": "η",
    "theta": "θ",
    "vartheta": "ϑ",
    "iota": "ι",
    "kappa": "κ",
    "lambda": "λ",
    "mu": "μ",
    "nu": "ν",
    "xi": "ξ",
    "pi": "π",
    "rho": "ρ",
    "sigma": "σ",
    "tau": "τ",
    "upsilon": "υ",
    "phi": "φ",
    "varphi": "φ",
    "chi": "χ",
    "psi": "ψ",
    "omega": "ω",
    "Gamma": "Γ",
    "Delta": "Δ",
    "Theta": "Θ",
    "Lambda": "Λ",
    "Xi": "Ξ",
    "Pi": "Π",
    "Sigma": "Σ",
    "Upsilon": "Υ",
    "Phi": "Φ",
    "Psi": "Ψ",
    "Omega": "Ω",
}
SYMBOLS = {
    "nabla": "∇",
    "partial": "∂",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "infty": "∞",
    "cdot": "·",
    "times": "×",
    "div": "÷",
    "pm": "±",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "propto": "∝",
    "equiv": "≡",
    "to": "→",
    "rightarrow": "→",
    "leftarrow": "←",
    "Rightarrow": "⇒",
    "iff": "⇔",
    "mapsto": "↦",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "forall": "∀",
    "exists": "∃",
    "neg": "¬",
    "land": "∧",
    "lor": "∨",
    "odot": "⊙",
    "otimes": "⊗",
    "oplus": "⊕",
    "circ": "∘",
    "ldots": "…",
    "cdots": "⋯",
    "dots": "…",
    "top": "ᵀ",
    "intercal": "ᵀ",
    "|": "‖",
    "lVert": "‖",
    "rVert": "‖",
    "langle": "⟨",
    "rangle": "⟩",
    "ell": "ℓ",
    "emptyset": "∅",
    "star": "⋆",
    "log": "log",
    "ln": "ln",
    "exp": "exp",
    "max": "max",
    "min": "min",
    "arg": "arg",
    "argmax": "argmax",
    "argmin": "argmin",
    "sin": "sin",
    "cos": "cos",
    "tanh": "tanh",
    "lim": "lim",
    "det": "det",
    "tr": "tr",
    "E": "𝔼",
    "mid": "∣",
    ",": " ",
    ";": " ",
    ":": " ",
    " ": " ",
    "quad": "  ",
    "qquad": "    ",
    "!": "",
    "{": "{",
    "}": "}",
    "_": "_",
    "%": "%",
    "$": "$",
    "left": "",
    "right": "",
}
PREFIX_OPERATORS = {"partial", "nabla", "sum", "prod", "int", "neg"}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "E": "𝔼", "P": "ℙ"}
ACCENTS = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303", "vec": "\u20d7", "dot": "\u0307"}
SUPERSCRIPT = dict(zip("0123456789+-=()nijkTtx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱʲᵏᵀᵗˣ", strict=True))
SUBSCRIPT = dict(
    zip("0123456789+-=()aeijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True)
)
_INLINE = re.compile(r"\$\$(.+?)\$\$|\$(?!\s)([^$\n]+?)(?<!\s)\$")


class _Unsupported(Exception):
    """The expression uses something plain Unicode cannot show."""


def _bold(text: str) -> str:
    out = []
    for char in text:
        if "a" <= char <= "z":
            out.append(chr(0x1D41A + ord(char) - ord("a")))
        elif "A" <= char <= "Z":
            out.append(chr(0x1D400 + ord(char) - ord("A")))
        elif char in GREEK.values() or char.isdigit() or char == " ":
            out.append(char)
        else:
            raise _Unsupported(char)
    return "".join(out)


class _Converter:
    """A small recursive reader for the LaTeX found in flashcards."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0

    def group(self) -> str:
        """The next argument: a {braced group}, a command, or one character."""
        self.skip_spaces()
        if self.pos >= len(self.source):
            raise _Unsupported("missing argument")
        if self.source[self.pos] == "{":
            self.pos += 1
            inner = self.until("}")
            self.pos += 1
            return inner
        if self.source[self.pos] == "\\":
            return self.command()
        self.pos += 1
        return self.source[self.pos - 1]

    def skip_spaces(self) -> None:
        while self.pos < len(self.source) and self.source[self.pos] == " ":
            self.pos += 1

    def until(self, stop: str | None) -> str:
        out = []
        while self.pos < len(self.source) and (stop is None or self.source[self.pos] != stop):
            char = self.source[self.pos]
            if char == "\\":
                out.append(self.command())
            elif char in "^_":
                self.pos += 1
                table = SUPERSCRIPT if char == "^" else SUBSCRIPT
                out.append(self.script(self.group(), table))
            elif char == "{":
                self.pos += 1
                out.append(self.until("}"))
                self.pos += 1
            elif char == "}":
                raise _Unsupported("unbalanced brace")
            else:
                out.append(char)
                self.pos += 1
        if stop is not None and self.pos >= len(self.source):
            raise _Unsupported("unclosed group")
        return "".join(out)

    @staticmethod
    def script(text: str, table: dict[str, str]) -> str:
        """Unicode sub/superscript characters when all exist; else `_x` / `^(xy)` in plain text."""
        if text in ("ᵀ", "′"):
            return text
        if all(char in table for char in text):
            return "".join(table[char] for char in text)
        mark = "^" if table is SUPERSCRIPT else "_"
        return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"

    def command(self) -> str:
        self.pos += 1
        match = re.match(r"[A-Za-z]+|.", self.source[self.pos :])
        if match is None:
            raise _Unsupported("trailing backslash")
        name = match.group(0)
        self.pos += len(name)
        if name in GREEK:
            return GREEK[name]
        if name in PREFIX_OPERATORS:
            if self.source[self.pos : self.pos + 1] not in ("_", "^"):
                self.skip_spaces()  # "\partial L" reads as ∂L
            return SYMBOLS[name]
        if name in SYMBOLS:
            return SYMBOLS[name]
        if name == "frac":
            top, bottom = self.group(), self.group()
            wrap = lambda part: part if len(part) == 1 or part.isalnum() else f"({part})"  # noqa: E731
            return f"{wrap(top)}/{wrap(bottom)}"
        if name == "sqrt":
            inner = self.group()
            return f"√{inner}" if len(inner) == 1 else f"√({inner})"
        if name in ("mathbf", "boldsymbol", "bm"):
            return _bold(self.group())
        if name in ("mathbb",):
            letter = self.group()
            if letter not in BLACKBOARD:
                raise _Unsupported(letter)
            return BLACKBOARD[letter]
        if name in ("mathrm", "text", "operatorname", "mathit", "textrm"):
            return self.group()
        if name in ACCENTS:
            base = self.group()
            if len(base) != 1:
                raise _Unsupported(name)
            return unicodedata.normalize("NFC", base + ACCENTS[name])
        raise _Unsupported(name)


def latex_to_unicode(expression: str) -> str | None:
    """The expression in Unicode, or None when it uses something that cannot be shown."""
    try:
        return _Converter(expression).until(None)
    except _Unsupported:
        return None


def render_math(text: str) -> str:
    """Replace each `$...$` in `text` with Unicode; what cannot be shown stays as source."""

    def replace(match: re.Match[str]) -> str:
        expression = match.group(1) or match.group(2)
        converted = latex_to_unicode(expression)
        return converted if converted is not None else match.group(0)

    return _INLINE.sub(replace, text)
