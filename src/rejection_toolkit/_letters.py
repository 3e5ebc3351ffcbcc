"""Letters: answers turned into warm documents, in plain text, Markdown and HTML.

Each letter declares its fields and where each comes from in a session. The
answers enter the templates only as context values: they are never joined into
template source, never rendered twice and never marked safe. Each format has
its own Jinja environment (HTML autoescapes; Markdown escapes every value),
with `StrictUndefined`, compiled templates cached, and no automatic reloading.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from .exceptions import LetterError, Problem, UntrustedTemplateError

if TYPE_CHECKING:
    import jinja2

    from ._session import Session

__all__ = ["LETTERS", "Field", "Letter", "Letters", "render_letter"]

MAX_TEMPLATE_CHARS = 20_000
MAX_OUTPUT_CHARS = 100_000
ALLOWED_FILTERS = frozenset(
    {
        "capitalize",
        "center",
        "clause",
        "count",
        "d",
        "default",
        "e",
        "end_sentence",
        "escape",
        "first",
        "join",
        "last",
        "length",
        "lower",
        "lowerfirst",
        "replace",
        "title",
        "trim",
        "truncate",
        "upper",
        "wordcount",
        "wordwrap",
    }
)
"""Filters an untrusted template may use: none of them reach attributes or run code."""
ALLOWED_TESTS = frozenset({"defined", "undefined", "none", "string", "sequence", "number"})
ALLOWED_EXTRAS = frozenset({"date", "app_name"})
"""Context names an untrusted template may use besides its letter's fields."""
_LOOP_ATTRIBUTES = frozenset({"index", "index0", "first", "last", "length", "revindex"})

Format: TypeAlias = Literal["text", "md", "html"]
FORMATS: tuple[Format, ...] = ("text", "md", "html")
_EXTENSIONS: Mapping[str, str] = {"text": "txt", "md": "md", "html": "html"}
Value: TypeAlias = "str | tuple[str, ...] | None"


def _to_refs(refs: Iterable[str]) -> tuple[str, ...]:
    return tuple(refs)


@attrs.frozen
class Field:
    """One named value a letter uses.

    Attributes:
        name: The name templates use, e.g. ``"what_happened"``.
        refs: Where it comes from in a session: ``"exercise.step"`` refs,
            tried in order (or all joined, see ``many``).
        required: Whether the letter cannot be written without it.
        many: A list: items of every ref are joined into one list.
        description: What it holds, for people writing templates.
    """

    name: str
    refs: tuple[str, ...] = attrs.field(default=(), converter=_to_refs)
    required: bool = False
    many: bool = False
    description: str = ""


def _to_fields(fields: Iterable[Field]) -> tuple[Field, ...]:
    return tuple(fields)


@attrs.frozen
class Letter:
    """A letter: an id, a title and the fields its templates may use.

    Attributes:
        id: The letter's id; its templates are ``<id>.txt``, ``<id>.md`` and
            ``<id>.html``.
        title: A short title.
        fields: The fields, in the order a template would use them.
    """

    id: str
    title: str
    fields: tuple[Field, ...] = attrs.field(converter=_to_fields)

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the required fields."""
        return tuple(f.name for f in self.fields if f.required)

    @property
    def optional(self) -> tuple[str, ...]:
        """The names of the optional fields."""
        return tuple(f.name for f in self.fields if not f.required)

    def missing(self, values: Mapping[str, Value]) -> tuple[Field, ...]:
        """The required fields that ``values`` leaves empty."""
        return tuple(f for f in self.fields if f.required and not values.get(f.name))

    def ready_in(self, session: Session) -> bool:
        """Whether a session holds enough to write this letter.

        That is every required field, and at least one answer the letter uses.
        """
        values = self.values_from(session)
        return any(values.values()) and not self.missing(values)

    def values_from(self, session: Session) -> dict[str, Value]:
        """Collect this letter's field values from a session's active answers."""
        values: dict[str, Value] = {}
        for field in self.fields:
            if field.many:
                items: list[str] = []
                for ref in field.refs:
                    shown = session._display(ref)
                    if shown is not None:
                        items.extend(shown if isinstance(shown, tuple) else (shown,))
                values[field.name] = tuple(items) or None
                continue
            value: Value = None
            for ref in field.refs:
                shown = session._display(ref)
                if shown is not None:
                    value = ", ".join(shown) if isinstance(shown, tuple) else shown
                    break
            values[field.name] = value
        return values


def _many(name: str, *refs: str, **kwargs: Any) -> Field:
    return Field(name, refs, many=True, **kwargs)


_SCL = "self-compassion-letter"
LETTERS: Mapping[str, Letter] = {
    letter.id: letter
    for letter in (
        Letter(
            "self-compassion-letter",
            "A self-compassion letter",
            [
                Field("name", [f"{_SCL}.name"], required=True, description="The person's name."),
                Field("voice", [f"{_SCL}.voice"], required=True, description="Who writes."),
                Field("sign_off", [f"{_SCL}.sign-off"]),
                Field("feeling", ["name-the-feeling.strongest"]),
                Field("what_happened", [f"{_SCL}.what-happened", "acknowledge.what-happened"]),
                Field("kindness", [f"{_SCL}.kindness"]),
                Field("everyone", [f"{_SCL}.everyone"]),
                Field("other_view", [f"{_SCL}.other-view"]),
                Field("your_part", [f"{_SCL}.your-part"]),
                Field("lesson", [f"{_SCL}.lesson"]),
                Field("values", [f"{_SCL}.values"]),
                _many("qualities", f"{_SCL}.qualities"),
                _many("people_strengths", f"{_SCL}.people-strengths"),
                Field("closest", [f"{_SCL}.closest"]),
                _many("groups", f"{_SCL}.groups"),
            ],
        ),
        Letter(
            "owning-feelings",
            "Say it kindly: a message that owns your feelings",
            [
                Field(
                    "to",
                    ["say-it-kindly.who", "choose-a-path.repair-who", "reach-out.first"],
                    required=True,
                ),
                Field(
                    "feeling",
                    ["say-it-kindly.feeling", "name-the-feeling.strongest"],
                    required=True,
                ),
                Field("fear", ["say-it-kindly.fear"]),
                Field("trigger", ["say-it-kindly.trigger", "name-the-feeling.cause"]),
                Field("request", ["say-it-kindly.request"]),
            ],
        ),
        Letter(
            "repair-message",
            "A message to reconnect",
            [
                Field("to", ["choose-a-path.repair-who"], required=True),
                Field("value", ["choose-a-path.repair-value"]),
                Field("ask", ["choose-a-path.repair-ask"]),
                Field("differently", ["choose-a-path.repair-differently"]),
                Field("sender", [f"{_SCL}.name"]),
            ],
        ),
        Letter(
            "reach-out-message",
            "A message to someone you trust",
            [
                Field("to", ["reach-out.first"], required=True),
                Field("share", ["reach-out.share"]),
                _many("wants", "reach-out.want"),
                Field("invite", ["reach-out.invite"]),
                Field("when", ["reach-out.when"]),
                Field("sender", [f"{_SCL}.name"]),
            ],
        ),
        Letter(
            "action-plan",
            "Your action plan",
            [
                Field("chosen", ["problem-solving.chosen"], required=True),
                _many("steps", "problem-solving.next-steps", required=True),
                Field("situation", ["problem-solving.situation"]),
                Field("goal", ["problem-solving.goal"]),
                _many("options", "problem-solving.options"),
            ],
        ),
        Letter(
            "my-coping-plan",
            "My coping plan",
            [
                Field("what_happened", ["acknowledge.what-happened"]),
                Field("hurt_before", ["acknowledge.distress-before"]),
                Field("hurt_after", ["choose-a-path.distress-after"]),
                _many("supports", "reach-out.people"),
                Field("first_contact", ["reach-out.first"]),
                Field("contact_when", ["reach-out.when"]),
                _many(
                    "feelings",
                    "name-the-feeling.anxiety",
                    "name-the-feeling.anger",
                    "name-the-feeling.sadness",
                    "name-the-feeling.shame",
                    "name-the-feeling.lighter",
                ),
                Field("strongest", ["name-the-feeling.strongest"]),
                Field("kindness", [f"{_SCL}.kindness"]),
                Field("lesson", [f"{_SCL}.lesson"]),
                Field("chosen", ["problem-solving.chosen"]),
                _many("steps", "problem-solving.next-steps"),
                Field("path", ["choose-a-path.path"]),
                Field("repair_with", ["choose-a-path.repair-who"]),
                _many(
                    "path_steps",
                    "choose-a-path.repair-differently",
                    "choose-a-path.accept-care",
                    "choose-a-path.accept-invest",
                    "choose-a-path.new-actions",
                ),
            ],
        ),
    )
}
"""The built-in letters, by id."""


# -- escaping and filters -----------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+!|~&])")
_MD_LINE_START = re.compile(r"^(\s*)([-=]|\d+(?=[.)]))", re.M)


def markdown_escape(value: object) -> str:
    """Escape text so Markdown shows it literally: no links, images, HTML or lists."""
    text = "" if value is None else str(value)
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match[str]) -> str:
    indent, marker = match.groups()
    if marker.isdigit():  # "1." starts a list: escape the dot or bracket that follows
        return f"{indent}{marker}\\"
    return f"{indent}\\{marker}"


def _finalize_text(value: object) -> object:
    return "" if value is None else value


def _finalize_md(value: object) -> object:
    return markdown_escape(value)


def clause(value: object) -> str:
    """Drop a closing full stop, so the text can sit inside a sentence."""
    text = "" if value is None else str(value).strip()
    return text.rstrip(" .!?\u2026").rstrip() if text.endswith((".", "!", "\u2026")) else text


_LOWERABLE = frozenset(
    {
        "a",
        "after",
        "an",
        "ask",
        "at",
        "be",
        "before",
        "breakfast",
        "call",
        "check",
        "coffee",
        "come",
        "cook",
        "dinner",
        "drinks",
        "give",
        "go",
        "in",
        "just",
        "keep",
        "let",
        "listen",
        "lunch",
        "make",
        "maybe",
        "meet",
        "my",
        "next",
        "on",
        "one",
        "our",
        "plan",
        "play",
        "say",
        "send",
        "share",
        "show",
        "some",
        "spend",
        "start",
        "stay",
        "stop",
        "take",
        "tea",
        "tell",
        "text",
        "the",
        "this",
        "today",
        "tomorrow",
        "tonight",
        "try",
        "walk",
        "watch",
        "write",
        "your",
    }
)


def lowerfirst(value: object) -> str:
    """Lower-case the first letter of common opening words ("A walk" -> "a walk").

    Only a short list of everyday words, words ending in "-ing" and single
    words (such as a feeling) change; names and other words in longer text
    stay as they were typed.
    """
    text = "" if value is None else str(value)
    first = text.split(" ", 1)[0]
    rest_lower = len(first) == 1 or first[1:].islower()
    common = (
        first.lower() in _LOWERABLE
        or (len(first) > 4 and first.endswith("ing"))
        or (first == text.strip() and len(first) > 1)
    )
    if common and first[:1].isupper() and rest_lower:
        return text[0].lower() + text[1:]
    return text


def end_sentence(value: object) -> str:
    """Add a full stop when the text does not already end like a sentence."""
    text = "" if value is None else str(value).rstrip()
    if text and text[-1] not in ".!?\u2026\"'\u201d\u2019)":
        text += "."
    return text


def _environment(
    fmt: Format, loader: jinja2.BaseLoader, sandboxed: bool = False
) -> jinja2.Environment:
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    cls = ImmutableSandboxedEnvironment if sandboxed else jinja2.Environment
    env = cls(
        loader=loader,
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        finalize=_finalize_md if fmt == "md" else _finalize_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
        cache_size=400,
    )
    env.filters["end_sentence"] = end_sentence
    env.filters["clause"] = clause
    env.filters["lowerfirst"] = lowerfirst
    return env


def _undefined_name(error: Exception) -> str:
    match = re.search(r"'([^']+)' is undefined", str(error))
    return match.group(1) if match else "a name"


@attrs.define
class Letters:
    """Renders letters; holds one Jinja environment per format, created on first use.

    Attributes:
        loader: A Jinja loader whose templates take precedence over the
            built-in ones (same names: ``<letter-id>.<txt|md|html>``).
        template_dirs: Folders to search first, as a shortcut for a loader.
        letters: Extra or replacement letter definitions.
        context: Extra values every template can use, such as ``app_name``.

    Examples:
        >>> from rejection_toolkit import Letters
        >>> letters = Letters(context={"app_name": "Kind Words"})
        >>> text = letters.render_fields("owning-feelings", {"to": "Sam", "feeling": "hurt"})
        >>> text.splitlines()[0]
        'Dear Sam,'
    """

    loader: jinja2.BaseLoader | None = None
    template_dirs: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    letters: Mapping[str, Letter] = attrs.field(factory=dict)
    context: Mapping[str, Any] = attrs.field(factory=dict)
    _environments: dict[str, jinja2.Environment] = attrs.field(factory=dict, init=False)
    _untrusted: dict[tuple[str, str], jinja2.Template] = attrs.field(factory=dict, init=False)

    def __attrs_post_init__(self) -> None:
        self.letters = {**LETTERS, **self.letters}

    def letter(self, letter_id: str) -> Letter:
        """Return the definition of ``letter_id``."""
        try:
            return self.letters[letter_id]
        except KeyError:
            known = ", ".join(sorted(self.letters))
            raise LetterError(
                "unknown_letter", f"There is no letter {letter_id!r}; the letters are {known}."
            ) from None

    def environment(self, fmt: Format) -> jinja2.Environment:
        """The Jinja environment for ``fmt``, made once and kept."""
        if fmt not in FORMATS:
            raise LetterError("unknown_format", f"Choose a format from {', '.join(FORMATS)}.")
        env = self._environments.get(fmt)
        if env is None:
            import jinja2

            loaders: list[jinja2.BaseLoader] = []
            if self.loader is not None:
                loaders.append(self.loader)
            if self.template_dirs:
                loaders.append(jinja2.FileSystemLoader(list(self.template_dirs)))
            loaders.append(jinja2.PackageLoader("rejection_toolkit", "templates"))
            env = _environment(fmt, jinja2.ChoiceLoader(loaders))
            self._environments[fmt] = env
        return env

    def render(
        self,
        letter_id: str,
        session: Session,
        fmt: Format = "text",
        *,
        context: Mapping[str, Any] | None = None,
    ) -> str:
        """Render a letter from a session's active answers.

        Works for a completed session or one still in progress; the session
        is not changed.

        Raises:
            LetterError: A required field is missing (the message names it and
                the answer it comes from), or the letter or format is unknown.
        """
        letter = self.letter(letter_id)
        return self._render(letter, letter.values_from(session), fmt, context)

    def render_fields(
        self,
        letter_id: str,
        values: Mapping[str, Any],
        fmt: Format = "text",
        *,
        context: Mapping[str, Any] | None = None,
    ) -> str:
        """Render a letter from a plain mapping of field values.

        Values are strings, lists of strings, or None for a missing field.
        """
        letter = self.letter(letter_id)
        known = {f.name for f in letter.fields}
        unknown = sorted(set(values) - known)
        if unknown:
            raise LetterError(
                "unknown_field",
                f"Letter {letter_id!r} has no field {unknown[0]!r}; its fields are "
                f"{', '.join(f.name for f in letter.fields)}.",
            )
        clean = {f.name: _clean(values.get(f.name), f) for f in letter.fields}
        return self._render(letter, clean, fmt, context)

    def check_untrusted(self, source: str, letter_id: str) -> tuple[Problem, ...]:
        """Check a template from an untrusted author; return every problem found.

        An empty result means `render_untrusted` will accept it.
        """
        return check_untrusted(source, self.letter(letter_id))

    def render_untrusted(
        self,
        source: str,
        letter_id: str,
        values: Session | Mapping[str, Any],
        fmt: Format = "text",
        *,
        max_output_chars: int = MAX_OUTPUT_CHARS,
    ) -> str:
        """Render a template from an untrusted author, locked down.

        The template is checked against an allow-list first, then rendered in
        an immutable sandbox with only the letter's declared fields (and
        ``date`` and ``app_name`` from this object's context), and stopped as
        soon as its output passes ``max_output_chars``.

        Raises:
            UntrustedTemplateError: With every reason the template was refused.
            LetterError: A required field is missing, or the output grew too
                large (``code == "too_large"``).
        """
        letter = self.letter(letter_id)
        problems = check_untrusted(source, letter)
        if problems:
            raise UntrustedTemplateError(problems)
        if isinstance(values, Mapping):
            clean = {f.name: _clean(values.get(f.name), f) for f in letter.fields}
        else:
            clean = letter.values_from(values)
        self._check_required(letter, clean)
        template = self._untrusted_template(source, fmt)
        context = {k: v for k, v in self.context.items() if k in ALLOWED_EXTRAS}
        pieces: list[str] = []
        size = 0
        try:
            for piece in template.generate({**context, **clean}):
                size += len(piece)
                if size > max_output_chars:
                    raise LetterError(
                        "too_large",
                        f"The template's output passed {max_output_chars} characters, so "
                        "rendering was stopped.",
                    )
                pieces.append(piece)
        except LetterError:
            raise
        except Exception as error:
            raise LetterError(
                "render_failed", f"The template could not be rendered: {type(error).__name__}."
            ) from None
        return "".join(pieces).strip() + "\n"

    def _untrusted_template(self, source: str, fmt: Format) -> jinja2.Template:
        import jinja2

        key = f"untrusted-{fmt}"
        env = self._environments.get(key)
        if env is None:
            env = _environment(fmt, jinja2.DictLoader({}), sandboxed=True)
            self._environments[key] = env
        cache = self._untrusted
        template = cache.get((fmt, source))
        if template is None:
            try:
                template = env.from_string(source)
            except RecursionError:
                raise UntrustedTemplateError(
                    [Problem((), "too_complex", "The template is nested too deeply.")]
                ) from None
            if len(cache) >= 256:
                cache.pop(next(iter(cache)))
            cache[(fmt, source)] = template
        return template

    def _check_required(self, letter: Letter, values: Mapping[str, Value]) -> None:
        missing = letter.missing(values)
        if missing:
            field = missing[0]
            source = f" (from the answer {field.refs[0]!r})" if field.refs else ""
            raise LetterError(
                "missing_field",
                f"The letter {letter.id!r} needs {field.name!r}{source}, which is missing "
                "or was skipped.",
            )

    def _render(
        self,
        letter: Letter,
        values: Mapping[str, Value],
        fmt: Format,
        context: Mapping[str, Any] | None,
    ) -> str:
        import jinja2

        self._check_required(letter, values)
        env = self.environment(fmt)
        name = f"{letter.id}.{_EXTENSIONS[fmt]}"
        try:
            template = env.get_template(name)
        except jinja2.TemplateNotFound:
            raise LetterError(
                "missing_template", f"No template {name!r} was found for letter {letter.id!r}."
            ) from None
        try:
            out = template.render({**self.context, **(context or {}), **values})
        except jinja2.UndefinedError as error:
            raise LetterError(
                "unknown_name",
                f"The template {name!r} uses {_undefined_name(error)!r}, which is not a field "
                f"of letter {letter.id!r}; its fields are "
                f"{', '.join(f.name for f in letter.fields)}.",
            ) from None
        return out.strip() + "\n"


def check_untrusted(source: str, letter: Letter) -> tuple[Problem, ...]:
    """Check an untrusted template against the allow-list; return every problem.

    Allowed: text, ``{{ field }}`` with allowed filters, ``{% if %}`` with
    allowed tests, comparisons and ``and``/``or``/``not``, ``~`` to join text,
    and one level of ``{% for item in list_field %}`` (with ``loop.index``
    and friends). Everything else is refused: include, extends, import,
    macros, call blocks, ``set``, function and method calls, arithmetic,
    attribute access, ``self`` and other globals, and unknown names.
    """
    import jinja2
    from jinja2 import nodes

    def problem(line: int | None, code: str, message: str) -> Problem:
        return Problem((f"line {line}",) if line else (), code, message)

    if not isinstance(source, str):
        return (problem(None, "wrong_type", "A template must be text."),)
    if len(source) > MAX_TEMPLATE_CHARS:
        return (
            problem(
                None, "too_large", f"A template may be at most {MAX_TEMPLATE_CHARS} characters."
            ),
        )
    env = _environment("text", jinja2.DictLoader({}), sandboxed=True)
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as error:
        return (
            problem(error.lineno, "syntax", f"The template has a syntax error: {error.message}"),
        )
    except RecursionError:
        return (problem(None, "too_complex", "The template is nested too deeply."),)

    fields = {f.name: f for f in letter.fields}
    problems: list[Problem] = []
    forbidden: Mapping[type[nodes.Node], str] = {
        nodes.Include: "include",
        nodes.Extends: "extends",
        nodes.Import: "import",
        nodes.FromImport: "import",
        nodes.Macro: "macros",
        nodes.CallBlock: "call blocks",
        nodes.Call: "calling functions or methods",
        nodes.Assign: "set",
        nodes.AssignBlock: "set",
        nodes.With: "with",
        nodes.FilterBlock: "filter blocks",
        nodes.Slice: "slices",
        nodes.Add: "arithmetic",
        nodes.Sub: "arithmetic",
        nodes.Mul: "arithmetic",
        nodes.Div: "arithmetic",
        nodes.FloorDiv: "arithmetic",
        nodes.Mod: "arithmetic",
        nodes.Pow: "arithmetic",
        nodes.Block: "blocks",
        nodes.Scope: "scopes",
        nodes.ExprStmt: "do",
    }

    def visit(node: nodes.Node, loop_vars: frozenset[str], depth: int) -> None:
        line = getattr(node, "lineno", None)
        kind = forbidden.get(type(node))
        if kind is not None:
            problems.append(problem(line, "forbidden", f"Templates here cannot use {kind}."))
            return
        if isinstance(node, nodes.Name) and node.ctx == "load":
            if (
                node.name not in fields
                and node.name not in ALLOWED_EXTRAS
                and node.name not in loop_vars
            ):
                problems.append(
                    problem(
                        line,
                        "unknown_name",
                        f"{node.name!r} is not a field of letter {letter.id!r}; "
                        f"its fields are {', '.join(fields)}.",
                    )
                )
        elif isinstance(node, nodes.Getattr):
            inner = node.node
            if not (
                isinstance(inner, nodes.Name)
                and inner.name == "loop"
                and "loop" in loop_vars
                and node.attr in _LOOP_ATTRIBUTES
            ):
                problems.append(
                    problem(line, "forbidden", "Templates here cannot read attributes.")
                )
                return
        elif isinstance(node, nodes.Getitem):
            if not (isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int)):
                problems.append(
                    problem(
                        line, "forbidden", "Only numbered items, such as steps[0], can be read."
                    )
                )
                return
        elif isinstance(node, nodes.Filter):
            if node.name not in ALLOWED_FILTERS:
                problems.append(
                    problem(line, "forbidden_filter", f"The filter {node.name!r} is not allowed.")
                )
            if node.kwargs or node.dyn_args or node.dyn_kwargs:
                problems.append(
                    problem(line, "forbidden", "Filters here take no keyword arguments.")
                )
        elif isinstance(node, nodes.Test) and node.name not in ALLOWED_TESTS:
            problems.append(
                problem(line, "forbidden_test", f"The test {node.name!r} is not allowed.")
            )
        elif isinstance(node, nodes.For):
            if depth >= 1:
                problems.append(problem(line, "forbidden", "Loops cannot be nested."))
                return
            if node.recursive:
                problems.append(problem(line, "forbidden", "Loops cannot be recursive."))
                return
            target_ok = isinstance(node.target, nodes.Name)
            iter_ok = isinstance(node.iter, nodes.Name) and getattr(
                fields.get(node.iter.name), "many", False
            )
            if not (target_ok and iter_ok):
                problems.append(
                    problem(line, "forbidden", "A loop must read one list field into one name.")
                )
                return
            assert isinstance(node.target, nodes.Name)
            inner_vars = loop_vars | {node.target.name, "loop"}
            for child in node.body:
                visit(child, inner_vars, depth + 1)
            for child in node.else_:
                visit(child, loop_vars, depth)
            if node.test is not None:
                visit(node.test, inner_vars, depth + 1)
            return
        for child in node.iter_child_nodes():
            visit(child, loop_vars, depth)

    visit(tree, frozenset(), 0)
    return tuple(problems)


def _clean(value: Any, field: Field) -> Value:
    if value is None or value == "" or value == []:
        return None
    if field.many:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise LetterError("wrong_type", f"The field {field.name!r} takes a list of text.")
        return tuple(str(v) for v in value)
    if not isinstance(value, str | int):
        raise LetterError("wrong_type", f"The field {field.name!r} takes text.")
    return str(value)


@functools.cache
def _default() -> Letters:
    return Letters()


def render_letter(
    letter_id: str,
    source: Session | Mapping[str, Any],
    fmt: Format = "text",
    *,
    context: Mapping[str, Any] | None = None,
) -> str:
    """Render a built-in letter from a session or a mapping of fields.

    It uses one shared `Letters` with the built-in templates, so repeated
    calls reuse compiled templates.

    Examples:
        >>> from rejection_toolkit import render_letter
        >>> plan = render_letter("action-plan", {"chosen": "Find a flatmate",
        ...                                      "steps": ["Ask friends on Monday"]})
        >>> "1. Ask friends on Monday" in plan
        True
    """
    letters = _default()
    if isinstance(source, Mapping):
        return letters.render_fields(letter_id, source, fmt, context=context)
    return letters.render(letter_id, source, fmt, context=context)
