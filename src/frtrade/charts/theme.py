"""Colours, fonts and the Vega-Lite configuration applied at render time.

Chart factories return charts with **no** config (so that they compose with
``|``, ``&`` and ``+``); :func:`frtrade.render.save_chart` applies a
:class:`Theme` when it renders. The locale is put in the spec itself
(``config.locale``), so numbers use the decimal comma in every output.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from frtrade.fonts import FONT_FAMILY

__all__ = ["COLORBLIND", "DEFAULT", "Palette", "Theme", "blend", "palette"]


@dataclass(frozen=True)
class Palette:
    """Colours of the fiche's charts (hex strings).

    Attributes
    ----------
    imports, exports
        Flow colours (imports blue, exports violet by default).
    deficit, surplus
        Balance colours (red, green).
    link, highlight
        Sankey links and the highlighted largest flows.
    text, muted
        Label colours.
    words
        French colour words the fiche's texts use for ``"export"``,
        ``"import"``, ``"highlight"``, ``"deficit"`` and ``"surplus"``
        (e.g. "en violet"), so that texts follow the palette.
    """

    imports: str = "#2b5c9e"
    exports: str = "#7b3f98"
    deficit: str = "#c8102e"
    surplus: str = "#2e8540"
    link: str = "#b9b9b9"
    highlight: str = "#c8102e"
    text: str = "#222222"
    muted: str = "#555555"
    words: tuple[tuple[str, str], ...] = (
        ("export", "violet"),
        ("import", "bleu"),
        ("highlight", "rouge"),
        ("deficit", "rouge"),
        ("surplus", "vert"),
    )

    def word(self, role: str) -> str:
        """French colour word of a role, for the fiche's reading keys.

        Parameters
        ----------
        role
            ``"export"``, ``"import"``, ``"highlight"``, ``"deficit"`` or
            ``"surplus"``.

        Returns
        -------
        str
            The colour word (e.g. ``"violet"``).

        Examples
        --------
        >>> DEFAULT.word("export"), COLORBLIND.word("export")
        ('violet', 'rose')
        """
        return dict(self.words)[role]

    def flow(self, flow: str) -> str:
        """Colour of a flow (``"export"`` or ``"import"``).

        Parameters
        ----------
        flow
            The flow.

        Returns
        -------
        str
            Hex colour.

        Examples
        --------
        >>> DEFAULT.flow("import")
        '#2b5c9e'
        """
        return self.exports if flow == "export" else self.imports


#: The publication's colours.
DEFAULT = Palette()
#: Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
COLORBLIND = Palette(
    imports="#0072b2",
    exports="#cc79a7",
    deficit="#d55e00",
    surplus="#009e73",
    link="#bbbbbb",
    highlight="#d55e00",
    words=(
        ("export", "rose"),
        ("import", "bleu"),
        ("highlight", "orange"),
        ("deficit", "orange"),
        ("surplus", "vert"),
    ),
)


def palette(choice: Palette | Literal["default", "colorblind"] = "default") -> Palette:
    """Resolve a palette given by name or object.

    Parameters
    ----------
    choice
        ``"default"``, ``"colorblind"`` or a :class:`Palette`.

    Returns
    -------
    Palette
        The palette.

    Examples
    --------
    >>> palette("colorblind").exports
    '#cc79a7'
    """
    if isinstance(choice, Palette):
        return choice
    if choice == "colorblind":
        return COLORBLIND
    if choice == "default":
        return DEFAULT
    raise ValueError(f"unknown palette {choice!r}; use 'default' or 'colorblind'")


def blend(color: str, amount: float, *, base: str = "#ffffff") -> str:
    """Mix a colour with white (or ``base``): a tint without any opacity.

    Parameters
    ----------
    color
        Hex colour ``#rrggbb``.
    amount
        Share of ``base`` in the mix, in [0, 1].
    base
        The colour mixed in.

    Returns
    -------
    str
        Hex colour.

    Examples
    --------
    >>> blend("#000000", 0.5)
    '#808080'
    """
    c = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(base[i : i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(x + (y - x) * amount) for x, y in zip(c, b, strict=True)]
    return "#" + "".join(f"{v:02x}" for v in mixed)


def _french_locale() -> dict[str, Any]:
    return {
        "decimal": ",",
        "thousands": "\u202f",
        "grouping": [3],
        "currency": ["", "\u00a0€"],
        "percent": "\u202f%",
        "minus": "\u2212",
    }


@dataclass(frozen=True)
class Theme:
    """Fonts and base configuration applied at render time.

    Attributes
    ----------
    font
        Font stack: the shipped Liberation Sans (:mod:`frtrade.fonts`, which
        :mod:`frtrade.render` registers with vl-convert), ending with
        ``sans-serif`` so text never vanishes when a font is missing.
    font_size
        Base font size in pixels.
    background
        Page background.
    extra
        More Vega-Lite config, merged last.

    Examples
    --------
    >>> Theme().config()["locale"]["number"]["decimal"]
    ','
    """

    font: str = f"{FONT_FAMILY}, Arial, Helvetica, sans-serif"
    font_size: float = 12
    background: str = "#ffffff"
    extra: dict[str, Any] = field(default_factory=dict)

    def config(self) -> dict[str, Any]:
        """The Vega-Lite ``config`` object.

        Returns
        -------
        dict
            Config with font, locale, background and view settings.

        Raises
        ------
        ValueError
            When the font stack does not end with ``sans-serif``.

        Examples
        --------
        >>> Theme(font="Marianne, Arial, sans-serif").config()["font"]
        'Marianne, Arial, sans-serif'
        """
        if not self.font.rstrip().endswith("sans-serif"):
            raise ValueError("the font stack must end with 'sans-serif'")
        base: dict[str, Any] = {
            "font": self.font,
            "background": self.background,
            "locale": {"number": _french_locale()},
            "view": {"stroke": None},
            "text": {"fontSize": self.font_size},
            "title": {"fontSize": self.font_size + 3, "anchor": "start"},
            "concat": {"spacing": 4},
        }
        base.update(self.extra)
        return base
