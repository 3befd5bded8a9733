import io

import numpy as np
import pytest

import cxgraph as cx
from cxgraph.draw import _style as S


def _lightness(rgb: np.ndarray) -> np.ndarray:
    """CIE L* of sRGB colours, from the sRGB and CIE definitions."""
    lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    y = lin @ np.array([0.2126, 0.7152, 0.0722])
    f = np.where(y > (6 / 29) ** 3, np.cbrt(y), y / (3 * (6 / 29) ** 2) + 4 / 29)
    return 116 * f - 16


def test_colour_scale_gets_steadily_darker() -> None:
    # A sequential scale that colour-blind readers can read: lightness falls all the way along it.
    rgb = S.colormap()(np.linspace(0, 1, 256))[:, :3]
    lightness = _lightness(rgb)
    assert np.all(np.diff(lightness) < 0)
    assert lightness[0] > 95  # almost paper white: no impact
    assert lightness[-1] < 20  # viridis' darkest purple: the most impact


def test_colour_scale_ends_on_viridis() -> None:
    import matplotlib as mpl

    top = S.colormap()(1.0)
    assert np.allclose(top, mpl.colormaps["viridis"](0.0), atol=1e-9)
    # from 35% of the way up the scale it is viridis itself, unfaded
    assert np.allclose(S.colormap()(0.6)[:3], mpl.colormaps["viridis_r"](0.6)[:3], atol=1 / 255)


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (0.25, "0.25"), (7, "7"), (950, "950"), (999.4, "999"), (999.6, "1k"), (1000, "1k"),
    (1500, "1.5k"), (12_000, "12k"), (759_437.4, "759k"), (1_234_567, "1.2M"), (-2500, "-2.5k"),
    (float("nan"), "–"),
])
def test_format_number(value: float, text: str) -> None:
    assert S.format_number(value) == text


def test_fit_text_lines_fit_when_rendered() -> None:
    from matplotlib.font_manager import FontProperties

    fig = S.new_figure(4, 2)
    renderer = fig.canvas.get_renderer()
    text = "Verify identity with ID scan and selfie at the branch counter"
    fitted = S.fit_text(text, 1.0, 7.0, 4)
    assert fitted.replace("\n", " ") == text  # fits in four lines: nothing lost
    for line in fitted.split("\n"):
        w, _, _ = renderer.get_text_width_height_descent(line, FontProperties(family=S.FONT, size=7.0), False)
        assert w / fig.dpi <= 1.0


def test_fit_text_cuts_with_an_ellipsis() -> None:
    fitted = S.fit_text("one two three four five six seven eight nine ten", 0.5, 8.0, 2)
    lines = fitted.split("\n")
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert S.fit_text("short", 2.0, 8.0, 1) == "short"


def test_fit_text_breaks_hyphenated_words_after_a_hyphen() -> None:
    assert S.fit_text("Know-your-customer check", 0.9, 7, 3) == "Know-your-\ncustomer check"


def test_ink_reads_on_its_fill() -> None:
    assert S.ink_for(S.colormap()(0.0)) == S.INK
    assert S.ink_for(S.colormap()(1.0)) == S.PAPER


def test_svg_and_pdf_are_the_same_bytes_every_time() -> None:
    def draw() -> S.CxFigure:
        fig = S.new_figure(3, 2)
        ax = fig.add_subplot()
        ax.plot([0, 1, 2], [2, 0, 1])
        ax.set_title("clip paths and ids")
        return fig

    for fmt in ("svg", "pdf"):
        a, b = io.BytesIO(), io.BytesIO()
        draw().savefig(a, format=fmt)
        draw().savefig(b, format=fmt)
        assert a.getvalue() == b.getvalue(), fmt


def test_save_to_a_path_takes_the_format_from_the_extension(tmp_path) -> None:
    fig = S.new_figure(2, 2)
    fig.add_subplot().plot([0, 1])
    magic = {"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}
    for ext, head in magic.items():
        fig.savefig(tmp_path / f"f.{ext}")
        assert (tmp_path / f"f.{ext}").read_bytes().startswith(head)
    fig.savefig(tmp_path / "g.svg", metadata={"Title": "mine"})
    assert b"<dc:title>mine</dc:title>" in (tmp_path / "g.svg").read_bytes()
    assert b"<dc:date>" not in (tmp_path / "g.svg").read_bytes()


def test_importing_cxgraph_does_not_import_matplotlib() -> None:
    import subprocess
    import sys

    code = "import sys, cxgraph; print('matplotlib' in sys.modules); cxgraph.draw; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]
    assert "draw" in cx.__all__
