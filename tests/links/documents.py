"""Documents the saved-page tests serve: written here, realistic, nobody else's text."""

RICH_ARTICLE = """<html><head><title>Attention, explained</title></head><body>
<nav><a href="/">Home</a></nav>
<article><h1>Attention, explained</h1>
<p>The café model uses softmax attention, a weighted average of values; see the
footnote<sup><a href="#fn1">1</a></sup> and <a href="/docs/intro">the intro</a>.</p>
<pre>shape of Q: (batch, heads, tokens, d)
    shape of K: (batch, heads, tokens, d)
scores = Q @ K.T</pre>
<pre><code class="language-python">def attend(q, k, v):
    return softmax(q @ k.T) @ v
</code></pre>
<blockquote><p>Attention lets every token look at every other token.</p></blockquote>
<figure><img src="/img/heads.png" alt="Attention weights as a heat map">
<figcaption>Figure 1: weights across four heads.</figcaption></figure>
<p>Scaled scores are \\(QK^T/\\sqrt{d}\\), and KaTeX writes
<span class="katex"><span class="katex-mathml"><math><semantics><mrow><mi>x</mi></mrow>
<annotation encoding="application/x-tex">x^2+1</annotation></semantics></math></span>
<span class="katex-html" aria-hidden="true">x2+1</span></span> inline.</p>
<script type="math/tex; mode=display">\\mathrm{softmax}(x)_i = e^{x_i} / \\sum_j e^{x_j}</script>
<p>Multi-head attention runs several of these in parallel and joins their outputs, which
lets each head specialise in a different relation between the tokens of the sequence.</p>
<ol class="footnotes"><li id="fn1">Vaswani and colleagues, 2017,
<a href="/refs#v">the paper</a>.</li></ol>
</article>
<section id="comments" class="comments"><h2>3 Comments</h2>
<div class="comment"><p>First! Buy cheap watches at my site.</p></div></section>
</body></html>"""

LATIN1_ARTICLE = """<html><head><title>Régression linéaire</title></head><body><article>
<h1>Régression linéaire</h1>
<p>La régression linéaire cherche la droite qui minimise l'écart quadratique moyen entre
les prédictions et les données observées; c'est le point de départ de presque tout.</p>
<p>On résout les équations normales, ou l'on descend le gradient pas à pas, à l'aide d'un
taux d'apprentissage bien choisi: trop grand, ça diverge; trop petit, ça traîne.</p>
</article></body></html>"""

SOFT_404 = """<html><head><title>Page not found | Deep Notes</title></head><body>
<article><h1>Page not found</h1><p>Sorry, the page you asked for does not exist. Try the
search box, or go back to the home page and browse the latest posts instead.</p></article>
</body></html>"""

PLAIN_TEXT = """NOTES ON BACKPROP
=================
1. forward pass: keep every activation
2. backward pass: chain rule, layer by layer
   * gradients of the loss w.r.t. each weight
see [Rumelhart 1986] and #ml
"""

MARKDOWN_NOTES = "# Backprop notes\n\n- keep activations\n- apply the **chain rule**\n"


def minimal_pdf(text: str) -> bytes:
    """A one-page PDF showing `text` in Helvetica, with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 700 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Title (Backprop by hand) >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def small_png() -> bytes:
    """A real 8x4 PNG: half red, half blue."""
    import io

    from PIL import Image

    picture = Image.new("RGB", (8, 4), (200, 30, 30))
    picture.paste((30, 30, 200), (4, 0, 8, 4))
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()
