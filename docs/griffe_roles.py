"""Griffe extension: turn the Sphinx roles of frtrade's docstrings into MkDocs links.

The docstrings are written with Sphinx roles (:class:`~frtrade.schemas.TradeFlows`,
:func:`totals`, :attr:`Territory.slug`), which mkdocstrings would print raw. Once
griffe has loaded the package, every role is rewritten in Markdown:

- a target documented in ``docs/reference/*.md`` becomes a mkdocs-autorefs
  cross-reference to the heading mkdocstrings writes for it, ``[`TradeFlows`][frtrade.TradeFlows]``
  (a broken one fails the strict build);
- any other target (a private helper, ``pandas.DataFrame``) becomes inline code.

Targets resolve the way Sphinx does: relative to the object whose docstring holds the
role, then to its parents, then to the ``frtrade`` package, then as an absolute path.
``~a.b.c`` shows ``c``; ``title <target>`` shows ``title``; ``!target`` never links;
functions and methods get ``()``, as with Sphinx. Registered in mkdocs.yml under the
mkdocstrings Python handler's ``extensions``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import griffe

_log = logging.getLogger("mkdocs.plugins.frtrade.griffe_roles")

ROLE = re.compile(
    r":(?:py:)?(?P<role>class|func|meth|attr|mod|data|exc|obj|const|type):"
    r"`(?P<body>[^`]+)`"
)
DIRECTIVE = re.compile(r"^::: ([\w.]+)[ \t]*\n((?:[ \t]+.*\n?)*)", re.M)
MEMBERS_OPTION = re.compile(r"^\s+members:\s*\[([^\]]*)\]", re.M)
REFERENCE_PAGES = Path(__file__).resolve().parent / "reference"


def documented_anchors(
    collection: griffe.ModulesCollection, pages: Path = REFERENCE_PAGES
) -> dict[str, str]:
    """Map the canonical path of every documented object to its heading's anchor.

    ``::: frtrade.Territory`` documents ``frtrade.territories.Territory`` under the
    anchor ``frtrade.Territory`` and its public members under
    ``frtrade.Territory.<name>``; a module directive documents its public members
    (only those of a ``members: [...]`` option when it has one).

    Parameters
    ----------
    collection
        The loaded modules (griffe).
    pages
        The folder of the reference pages.

    Returns
    -------
    dict
        Canonical path -> anchor (the identifier to link to).
    """
    anchors: dict[str, str] = {}
    for page in sorted(pages.glob("*.md")):
        for directive in DIRECTIVE.finditer(page.read_text(encoding="utf-8")):
            identifier, options = directive[1], directive[2]
            try:
                target = _final(collection[identifier])
            except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
                continue
            anchors.setdefault(target.path, identifier)
            only = MEMBERS_OPTION.search(options)
            wanted = (
                {name.strip() for name in only[1].split(",") if name.strip()}
                if only
                else None
            )
            _add_members(anchors, target, identifier, wanted)
    return anchors


def _add_members(
    anchors: dict[str, str],
    target: griffe.Object,
    anchor: str,
    wanted: set[str] | None,
) -> None:
    for name, member in target.members.items():
        if wanted is not None and name not in wanted:
            continue
        if wanted is None and not _shown(target, name, member):
            continue
        try:
            real = _final(member)
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            continue
        anchors.setdefault(real.path, f"{anchor}.{name}")
        if real.is_class and not member.is_alias:
            _add_members(anchors, real, f"{anchor}.{name}", None)


def _shown(
    parent: griffe.Object, name: str, member: griffe.Object | griffe.Alias
) -> bool:
    """Whether mkdocstrings renders this member of a documented object (its defaults).

    Private names are left out, a module shows its public names, a class its own
    members, and only what has a docstring (``show_if_no_docstring: false``).
    """
    if name.startswith("_"):
        return False
    if parent.is_module and not member.is_public:
        return False
    if parent.is_class and member.is_alias:
        return False
    try:
        return _has_docstring(_final(member))
    except (griffe.AliasResolutionError, griffe.CyclicAliasError):
        return False


def _has_docstring(obj: griffe.Object) -> bool:
    if obj.docstring is not None and obj.docstring.value.strip():
        return True
    return (obj.is_class or obj.is_module) and any(
        _has_docstring(m)
        for n, m in obj.members.items()
        if isinstance(m, griffe.Object) and not n.startswith("_")
    )


def _final(obj: griffe.Object | griffe.Alias) -> griffe.Object:
    return obj.final_target if isinstance(obj, griffe.Alias) else obj


KINDS = {
    "class": {griffe.Kind.CLASS},
    "exc": {griffe.Kind.CLASS},
    "func": {griffe.Kind.FUNCTION},
    "meth": {griffe.Kind.FUNCTION},
    "attr": {griffe.Kind.ATTRIBUTE, griffe.Kind.FUNCTION},  # properties too
    "data": {griffe.Kind.ATTRIBUTE},
    "const": {griffe.Kind.ATTRIBUTE},
    "mod": {griffe.Kind.MODULE},
}


def resolve(
    target: str,
    context: griffe.Object,
    collection: griffe.ModulesCollection,
    role: str = "obj",
) -> griffe.Object | None:
    """The object a role's target names, seen from the docstring of ``context``.

    Parameters
    ----------
    target
        The role's target, without ``~``.
    context
        The object whose docstring holds the role.
    collection
        The loaded modules, for absolute paths.
    role
        The role (``func``, ``class``...): an object of another kind is passed over,
        as with Sphinx (``:func:`totals``` is not a ``totals`` attribute).

    Returns
    -------
    griffe.Object or None
        The (alias-resolved) object, or None when nothing loaded has that name.
    """
    kinds = KINDS.get(role)
    scopes: list[griffe.Object | griffe.ModulesCollection] = []
    scope: griffe.Object | None = (
        context if context.is_class or context.is_module else context.parent
    )
    while scope is not None:
        scopes.append(scope)
        scope = scope.parent
    scopes.append(collection)  # absolute paths last
    for lookup in scopes:
        try:
            obj = _final(lookup[target.lstrip(".")])
        except (
            KeyError,
            ValueError,
            griffe.AliasResolutionError,
            griffe.CyclicAliasError,
        ):
            continue
        if kinds is None or obj.kind in kinds:
            return obj
    return None


def rewrite(
    text: str,
    context: griffe.Object,
    collection: griffe.ModulesCollection,
    anchors: dict[str, str],
) -> str:
    """Rewrite every Sphinx role of a docstring as a cross-reference or inline code.

    Parameters
    ----------
    text
        The docstring.
    context
        The object the docstring belongs to.
    collection
        The loaded modules.
    anchors
        From :func:`documented_anchors`.

    Returns
    -------
    str
        The docstring without roles.
    """

    def replace(match: re.Match[str]) -> str:
        body = match["body"].strip()
        explicit = re.fullmatch(r"(?P<title>.+?)\s*<(?P<target>[^<>]+)>", body)
        if explicit:
            title, target = explicit["title"], explicit["target"]
        else:
            target = body.lstrip("!")
            shortened = target.startswith("~")
            target = target.lstrip("~")
            title = target.rsplit(".", 1)[-1] if shortened else target
            if match["role"] in {"func", "meth"}:
                title += "()"
        if body.startswith("!"):
            return f"`{title}`"
        obj = resolve(target, context, collection, match["role"])
        anchor = anchors.get(obj.path) if obj is not None else None
        if anchor is None:
            _log.debug("%s: %s not documented, shown as code", context.path, body)
            return f"`{title}`"
        return f"[`{title}`][{anchor}]"

    return ROLE.sub(replace, text)


class SphinxRoles(griffe.Extension):
    """Rewrite the Sphinx roles of every docstring of a loaded package.

    Parameters
    ----------
    pages
        The folder of the reference pages (default: ``docs/reference``).
    """

    def __init__(self, pages: str | Path | None = None) -> None:
        super().__init__()
        self.pages = Path(pages) if pages is not None else REFERENCE_PAGES

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:  # noqa: ANN401
        """Rewrite the docstrings of ``pkg`` once it is fully loaded.

        Parameters
        ----------
        pkg
            The loaded package.
        **kwargs
            Griffe's other arguments (loader).
        """
        del kwargs
        collection = pkg.modules_collection
        anchors = documented_anchors(collection, self.pages)
        for obj in _objects(pkg):
            docstring = obj.docstring
            if docstring is not None and ROLE.search(docstring.value):
                docstring.value = rewrite(docstring.value, obj, collection, anchors)
                docstring.__dict__.pop("parsed", None)  # parsed lazily: drop any cache


def _objects(root: griffe.Object) -> list[griffe.Object]:
    """``root`` and every object defined inside it (aliases are not followed)."""
    found, todo = [], [root]
    while todo:
        obj = todo.pop()
        found.append(obj)
        todo.extend(m for m in obj.members.values() if isinstance(m, griffe.Object))
    return found
