"""Walk the code for every input: Django forms (subclasses of `BaseForm` in `grassroots`, with
the pages and admin screens that use them) and the DRF serializers the API reads (the request
serializer of every POST/PUT/PATCH operation, as drf-spectacular finds it), each field with the
canonical attribute it fills.

A field's attribute comes from, in order: the class's own declaration (`fills`), the model of a
ModelForm/ModelSerializer (`Meta.model` and the field's source), or a plain class's `writes`
(the model whose same-named attributes its fields fill). The declarations a form may carry:

    subject = "people.Household"           # the record the form is filled for
    subject_from = "household"             # the field (or "url") that chooses it
    fills = {"phone": "cases.Case.reporter_phone"}   # field -> app.Model.attribute
    prefill = {"reporter_name": "people.Resident.name"}  # field -> record attribute it starts from
    prefill = "*"                          # an update: each field starts from its own attribute
    reasons = {"phone": "why this field may ask what the platform holds"}
    writes = "disputes.Dispute"            # plain classes: fields named like its attributes

Inputs a form parses by hand (``party-N-phone``) are declared in `fills` and listed as such.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

SEALED = ("_enc", "_index", "_masked")
WRITE_METHODS = ("POST", "PUT", "PATCH")
# Fields that pick a registry record, and so name a form's subject when it declares none.
REFERENCES = {
    "household": "people.Household",
    "resident": "people.Resident",
    "cadre": "cadres.Cadre",
}
EVERY_FIELD = "*"  # `prefill = "*"`: an update; every omitted field keeps the record's value


@dataclass(frozen=True)
class Field:
    """One input of a form: its name, whether it must be given, and what it fills."""

    name: str
    required: bool
    fills: str = ""  # "app.Model.attribute", or "" (an input of the action, not a stored attribute)
    source: str = ""  # "declared", "model" or "writes"; "" when it fills nothing
    by_hand: bool = False  # parsed by the form itself, not a declared field
    prefill: str = ""
    reason: str = ""


@dataclass(frozen=True)
class Entry:
    """One form or API input serializer, where it is used and what it asks."""

    kind: str  # "form" or "serializer"
    module: str
    name: str
    used_at: tuple[str, ...]
    subject: str = ""
    subject_from: str = ""
    fields: tuple[Field, ...] = ()
    declared: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"{self.module}.{self.name}"


def attributes(model: type[models.Model]) -> set[str]:
    """A model's attribute names as the platform speaks of them: concrete fields, with a sealed
    value (`phone_enc`, `phone_index`, `phone_masked`) named once (`phone`)."""
    names = set()
    for f in model._meta.get_fields():
        if f.concrete:
            name = f.name
            for suffix in SEALED:
                if name.endswith(suffix):
                    name = name[: -len(suffix)]
            names.add(name)
    return names


def resolve(attr: str) -> tuple[type[models.Model], str] | None:
    """The model and attribute of "app.Model.attribute", or None when it names neither."""
    app_model, _, name = attr.rpartition(".")
    try:
        model = apps.get_model(app_model)
    except (LookupError, ValueError):
        return None
    return (model, name) if name in attributes(model) else None


def label_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _model_attr(model: type[models.Model] | None, source: str) -> str:
    if model is None or not source or source == "*" or "." in source:
        return ""
    return f"{label_of(model)}.{source}" if source in attributes(model) else ""


def _writes_model(cls: type) -> type[models.Model] | None:
    writes = getattr(cls, "writes", "")
    return apps.get_model(writes) if writes else None


def _declared(cls: type, attr: str) -> dict[str, str]:
    value = getattr(cls, attr, None)
    return dict(value) if isinstance(value, dict) else {}


def _field(cls: type, name: str, required: bool, model_attr: str, by_hand: bool = False) -> Field:
    fills, prefill, reasons = (_declared(cls, a) for a in ("fills", "prefill", "reasons"))
    every = getattr(cls, "prefill", None) == EVERY_FIELD
    writes = _model_attr(_writes_model(cls), name)
    if name in fills:
        filled, source = fills[name], "declared"
    elif model_attr:
        filled, source = model_attr, "model"
    elif writes:
        filled, source = writes, "writes"
    else:
        filled, source = "", ""
    return Field(
        name=name,
        required=required,
        fills=filled,
        source=source,
        by_hand=by_hand,
        prefill=prefill.get(name, "") or (filled if every else ""),
        reason=reasons.get(name, ""),
    )


def _hand_fields(cls: type, names: set[str]) -> list[Field]:
    """Inputs declared in `fills` that are no field of the class: parsed by the form itself."""
    return [
        _field(cls, n, False, "", by_hand=True)
        for n in sorted(_declared(cls, "fills"))
        if n not in names
    ]


def form_entry(cls: type[forms.BaseForm], used_at: tuple[str, ...] = ()) -> Entry:
    """The inventory entry of one Django form class."""
    meta = getattr(cls, "_meta", None)
    model = getattr(meta, "model", None)
    base: dict[str, forms.Field] = getattr(cls, "base_fields", {})
    fields = [
        _field(cls, name, bool(f.required), _model_attr(model, name)) for name, f in base.items()
    ]
    fields += _hand_fields(cls, set(base))
    return _entry("form", cls, used_at, fields)


def serializer_fields(serializer: Any, prefix: str = "") -> Iterator[tuple[str, Any, Any]]:
    """(dotted name, field, owning serializer) for every writable field, nested ones included
    (``reporter.phone``; ``parties[].phone`` for a list)."""
    from rest_framework import serializers

    for name, f in serializer.fields.items():
        if f.read_only:
            continue
        child = getattr(f, "child", None)
        if isinstance(f, serializers.ListSerializer | serializers.ListField) and isinstance(
            child, serializers.BaseSerializer
        ):
            yield from serializer_fields(child, f"{prefix}{name}[].")
        elif isinstance(f, serializers.BaseSerializer):
            yield from serializer_fields(f, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}", f, serializer


def serializer_entry(serializer: Any, used_at: tuple[str, ...] = ()) -> Entry:
    """The inventory entry of one DRF serializer (an instance or a class)."""
    instance = serializer() if inspect.isclass(serializer) else serializer
    cls = type(instance)
    fields = []
    for name, f, owner in serializer_fields(instance):
        meta = getattr(type(owner), "Meta", None)
        model = getattr(meta, "model", None)
        local = name.rpartition(".")[2]
        model_attr = _model_attr(model, f.source or local)
        own = _field(type(owner), local, bool(f.required), model_attr)
        top = _field(cls, name, bool(f.required), "") if owner is not instance else own
        chosen = top if (owner is not instance and top.source == "declared") else own
        fields.append(
            Field(
                name=name,
                required=bool(f.required),
                fills=chosen.fills,
                source=chosen.source,
                prefill=top.prefill or own.prefill,
                reason=top.reason or own.reason,
            )
        )
    fields += _hand_fields(cls, {f.name for f in fields})
    return _entry("serializer", cls, used_at, fields)


def _subject(cls: type, fields: list[Field]) -> tuple[str, str]:
    """The declared subject, or one inferred from a field that picks a registry record (a form
    with a `household` field is filled for that household unless it says otherwise)."""
    declared = getattr(cls, "subject", None)
    if isinstance(declared, str):
        return declared, str(getattr(cls, "subject_from", "") or "")
    names = {f.name for f in fields}
    for name, model in REFERENCES.items():
        if name in names:
            return model, f"{name} (inferred)"
    return "", ""


def _entry(kind: str, cls: type, used_at: tuple[str, ...], fields: list[Field]) -> Entry:
    subject, subject_from = _subject(cls, fields)
    return Entry(
        kind=kind,
        module=cls.__module__,
        name=cls.__qualname__,
        used_at=tuple(sorted(set(used_at))),
        subject=subject,
        subject_from=subject_from,
        fields=tuple(fields),
        declared=_declared(cls, "fills"),
    )


# -- where forms are used ---------------------------------------------------------------------


Route = tuple[str, str, Callable[..., Any]]


def _patterns(resolver: URLResolver, prefix: str = "", ns: str = "") -> Iterator[Route]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{ns}{p.namespace}:" if p.namespace else ns
            yield from _patterns(p, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            name = f"{ns}{p.name}" if p.name else ""
            yield "/" + prefix + str(p.pattern), name, p.callback


def _unwrap(view: Callable[..., Any]) -> Callable[..., Any]:
    view_class = getattr(view, "view_class", None) or getattr(view, "cls", None)
    if view_class is not None:
        return view_class
    return inspect.unwrap(view)


def _names_used(func: Any) -> list[object]:
    """The module-level objects a view function names in its body."""
    code = getattr(func, "__code__", None)
    if code is None:
        return []
    globs = getattr(func, "__globals__", {})
    return [globs[n] for n in code.co_names if n in globs]


def form_uses() -> dict[type, list[str]]:
    """For each form class, the pages (URL and name) whose view names it, and the admin screens
    whose ModelAdmin uses it."""
    uses: dict[type, list[str]] = {}
    for route, name, callback in _patterns(get_resolver()):
        view = _unwrap(callback)
        for obj in _names_used(view):
            if inspect.isclass(obj) and issubclass(obj, forms.BaseForm):
                uses.setdefault(obj, []).append(f"{route} ({name})" if name else route)
    for model, model_admin in admin.site._registry.items():
        form = getattr(model_admin, "form", None)
        if form is not None and form.__module__.startswith("grassroots."):
            uses.setdefault(form, []).append(f"admin: {label_of(model)}")
    return uses


def _subclasses(cls: type) -> Iterator[type]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def form_entries() -> list[Entry]:
    """Every Django form class of the project (by module), with where it is used."""
    get_resolver().url_patterns  # noqa: B018 - loads every view module, and so every form
    uses = form_uses()
    classes = {c for c in _subclasses(forms.BaseForm) if c.__module__.startswith("grassroots.")}
    return [form_entry(c, tuple(uses.get(c, ()))) for c in classes]


def api_inputs() -> list[tuple[str, Any]]:
    """(method and path, request serializer) of every writing API operation, as the schema
    generator sees it; operations that take no body are left out."""
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.settings import spectacular_settings

    generator = SchemaGenerator()
    generator._initialise_endpoints()
    found = []
    for path, path_regex, method, view in generator._get_paths_and_endpoints():
        if method not in WRITE_METHODS:
            continue
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, None)
        schema = view.schema
        schema.path, schema.path_regex, schema.method, schema.view = path, path_regex, method, view
        serializer = schema.get_request_serializer()
        found.append((f"{method} {path}", serializer))
    return found


def serializer_entries() -> list[Entry]:
    """Every serializer the API reads input with, each with the operations that use it.
    A body described by a plain schema dict is listed with the properties it names."""
    from rest_framework import serializers

    uses: dict[type, list[str]] = {}
    uploads: list[Entry] = []
    for where, serializer in api_inputs():
        if serializer is None:
            continue
        bodies = serializer.values() if isinstance(serializer, dict) else [serializer]
        for body in bodies:
            cls = body if inspect.isclass(body) else type(body)
            if issubclass(cls, serializers.BaseSerializer):
                uses.setdefault(cls, []).append(where)
            else:
                uploads.append(_upload_entry(where, serializer))
    entries = [serializer_entry(cls, tuple(where)) for cls, where in uses.items()]
    return entries + uploads


def _upload_entry(where: str, schema: Any) -> Entry:
    props: dict[str, Any] = {}
    for body in schema.values() if isinstance(schema, dict) else ():
        if isinstance(body, dict):
            props.update(body.get("properties", {}))
    return Entry(
        kind="upload",
        module="(multipart)",
        name=where,
        used_at=(where,),
        fields=tuple(Field(name=n, required=True) for n in sorted(props)),
    )


def entries() -> list[Entry]:
    """The whole inventory, in a stable order (kind, module, class)."""
    found = form_entries() + serializer_entries()
    return sorted(found, key=lambda e: (e.kind, e.module, e.name))


# -- pages that read input without a form class -----------------------------------------------


def _strings(node: ast.expr) -> list[str]:
    """The string constants of a literal dict's keys or a tuple, list or set."""
    items: list[ast.expr | None] = []
    if isinstance(node, ast.Dict):
        items = list(node.keys)
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        items = list(node.elts)
    return [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]


def _bound(tree: ast.AST) -> dict[str, list[str]]:
    """Names bound to literal strings in a function: ``form = {"username": ""}`` and the loop
    variable over it (``for k in form``), so ``request.POST.get(k)`` names its keys."""
    literals: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and _strings(node.value):
                literals[target.id] = _strings(node.value)
    loops = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension | ast.For) and isinstance(node.target, ast.Name):
            it = node.iter
            found = literals.get(it.id, []) if isinstance(it, ast.Name) else _strings(it)
            if found:
                loops[node.target.id] = found
    return loops


def _keys(node: ast.expr, bound: dict[str, list[str]]) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        parts = (str(v.value) if isinstance(v, ast.Constant) else "<…>" for v in node.values)
        return ["".join(parts)]
    if isinstance(node, ast.Name):
        return bound.get(node.id, [])
    return []


def _is_post(node: ast.expr, names: tuple[str, ...] = ()) -> bool:
    if isinstance(node, ast.Name):
        return node.id in names
    return isinstance(node, ast.Attribute) and node.attr in ("POST", "FILES")


def posted_keys(func: Any, names: tuple[str, ...] = (), depth: int = 1) -> list[str]:
    """The keys a view reads from ``request.POST`` by name (``.get``, ``.getlist``, ``[...]``),
    and those read by a module function it hands ``request.POST`` to (one call deep; `names`
    are such a helper's parameters holding the posted data)."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    except (OSError, TypeError, SyntaxError):
        return []
    keys: set[str] = set()
    bound = _bound(tree)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call | ast.Subscript):
            continue
        if isinstance(node, ast.Subscript):
            if _is_post(node.value, names):
                keys.update(_keys(node.slice, bound))
            continue
        f = node.func
        reads = isinstance(f, ast.Attribute) and f.attr in ("get", "getlist") and node.args
        if reads and isinstance(f, ast.Attribute) and _is_post(f.value, names):
            keys.update(_keys(node.args[0], bound))
        if depth and isinstance(f, ast.Name):
            helper = getattr(func, "__globals__", {}).get(f.id)
            posted = [i for i, a in enumerate(node.args) if _is_post(a, names)]
            if inspect.isfunction(helper) and posted:
                params = tuple(inspect.signature(helper).parameters)
                held = tuple(params[i] for i in posted if i < len(params))
                keys.update(posted_keys(helper, held, depth - 1))
    return sorted(k for k in keys if k)


def hand_parsed_pages() -> list[tuple[str, str, list[str]]]:
    """(route, view, keys) of every page whose view reads ``request.POST`` by name: input that
    no form class declares. Helpers it hands the whole POST to are not followed."""
    found = {}
    for route, name, callback in _patterns(get_resolver()):
        view = _unwrap(callback)
        if not inspect.isfunction(view) or not view.__module__.startswith("grassroots."):
            continue
        keys = posted_keys(view)
        if keys:
            where = f"{route} ({name})" if name else route
            found[where] = (where, f"{view.__module__}.{view.__qualname__}", keys)
    return sorted(found.values())
