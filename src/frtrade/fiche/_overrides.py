"""User text blocks replacing or extending the fiche's own (introduction, contacts, logo…)."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frtrade.errors import FrtradeError

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["FicheOverrides", "OverridesError", "load_overrides"]

_MIMES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
_TEXT_KEYS = ("introduction", "introduction_append", "contacts", "contacts_append")
_KEYS = (*_TEXT_KEYS, "logo", "logo_alt", "footer")


class OverridesError(FrtradeError, ValueError):
    """An overrides file or mapping is malformed (names the file and the key).

    Examples
    --------
    >>> print(OverridesError("textes.toml : clé inconnue « intro »"))
    textes.toml : clé inconnue « intro »
    """


@dataclass(frozen=True)
class FicheOverrides:
    """Text blocks given by the user.

    Attributes
    ----------
    introduction
        Paragraphs replacing the Introduction (``None``: keep frtrade's).
    introduction_append
        Paragraphs added after the Introduction.
    contacts
        Paragraphs replacing the contact paragraphs of « Informations pratiques ».
    contacts_append
        Paragraphs added at the end of « Informations pratiques ».
    logo
        Image bytes shown at the top of the fiche (PNG, JPEG or SVG).
    logo_mime, logo_alt
        Its type and its text alternative.
    footer
        Footer line of every PDF page and of the HTML page.

    Examples
    --------
    >>> FicheOverrides.from_mapping({"footer": "Préfecture de l'Indre"}).footer
    "Préfecture de l'Indre"
    """

    introduction: tuple[str, ...] | None = None
    introduction_append: tuple[str, ...] = ()
    contacts: tuple[str, ...] | None = None
    contacts_append: tuple[str, ...] = ()
    logo: bytes | None = None
    logo_mime: str = "image/png"
    logo_alt: str = "Logo"
    footer: str | None = None

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any],
        *,
        base: Path | None = None,
        source: str = "overrides",
    ) -> FicheOverrides:
        """Read overrides from a mapping (the parsed TOML/JSON file, or a dict).

        Parameters
        ----------
        data
            Keys ``introduction``, ``introduction_append``, ``contacts``,
            ``contacts_append`` (a string or a list of strings, one per
            paragraph), ``logo`` (an image path), ``logo_alt``, ``footer``.
        base
            Folder a relative ``logo`` path is read from.
        source
            Name used in error messages (the file).

        Returns
        -------
        FicheOverrides
            The overrides.

        Raises
        ------
        OverridesError
            For an unknown key, a value of the wrong type or an unreadable logo.

        Examples
        --------
        >>> FicheOverrides.from_mapping({"introduction": "Bonjour."}).introduction
        ('Bonjour.',)
        """
        unknown = sorted(set(data) - set(_KEYS))
        if unknown:
            raise OverridesError(
                f"{source} : clé inconnue « {unknown[0]} » (clés possibles : {', '.join(_KEYS)})"
            )
        texts: dict[str, tuple[str, ...] | None] = {}
        for key in _TEXT_KEYS:
            value = data.get(key)
            if value is None:
                texts[key] = None
            elif isinstance(value, str):
                texts[key] = (value,)
            elif isinstance(value, list) and all(isinstance(v, str) for v in value):
                texts[key] = tuple(value)
            else:
                raise OverridesError(
                    f"{source} : « {key} » doit être un texte ou une liste de textes"
                )
        for key in ("logo", "logo_alt", "footer"):
            if key in data and not isinstance(data[key], str):
                raise OverridesError(f"{source} : « {key} » doit être un texte")
        logo: bytes | None = None
        mime = "image/png"
        if data.get("logo"):
            path = Path(data["logo"])
            if not path.is_absolute() and base is not None:
                path = base / path
            mime = _MIMES.get(path.suffix.lower(), "")
            if not mime:
                raise OverridesError(
                    f"{source} : logo {path.name} : format non pris en charge (PNG, JPEG, SVG)"
                )
            try:
                logo = path.read_bytes()
            except OSError as exc:
                raise OverridesError(
                    f"{source} : logo {path} illisible ({exc.strerror})"
                ) from exc
        return cls(
            introduction=texts["introduction"],
            introduction_append=texts["introduction_append"] or (),
            contacts=texts["contacts"],
            contacts_append=texts["contacts_append"] or (),
            logo=logo,
            logo_mime=mime,
            logo_alt=str(data.get("logo_alt", "Logo")),
            footer=data.get("footer"),
        )


def load_overrides(path: str | Path) -> FicheOverrides:
    r"""Read a file of fiche overrides (TOML or JSON).

    Parameters
    ----------
    path
        A ``.toml`` or ``.json`` file, e.g.::

            introduction = ["Premier paragraphe.", "Second paragraphe."]
            contacts_append = "Contact local : dreets@example.fr"
            logo = "logo.png"  # relative to the file
            logo_alt = "Préfecture de l'Indre"
            footer = "Préfecture de l'Indre – 2025"

    Returns
    -------
    FicheOverrides
        To pass as ``build_fiche(..., overrides=...)``.

    Raises
    ------
    OverridesError
        When the file is unreadable, not valid TOML/JSON, or has an unknown key
        (the message names the file).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "textes.toml"
    >>> _ = path.write_text('footer = "DREETS Centre"\n', encoding="utf-8")
    >>> load_overrides(path).footer
    'DREETS Centre'
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise OverridesError(f"{file} : fichier illisible ({exc.strerror})") from exc
    try:
        if file.suffix.lower() == ".json":
            data = json.loads(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise OverridesError(f"{file} : contenu invalide ({exc})") from exc
    if not isinstance(data, dict):
        raise OverridesError(f"{file} : un objet (clé = valeur) est attendu")
    return FicheOverrides.from_mapping(data, base=file.parent, source=str(file))
