"""Letters: six letters in three formats, safe with any answer, quick to render again."""

from __future__ import annotations

import html
import re
import sys
import time
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given
from markdown_it import MarkdownIt

from rejection_toolkit import (
    LETTERS,
    Exercise,
    Field,
    Letter,
    Letters,
    Prompt,
    Session,
    catalog,
    render_letter,
)
from rejection_toolkit.exceptions import LetterError, UntrustedTemplateError

from .conftest import NOW
from .strategies import any_text

sys.path.insert(0, str(Path(__file__).parent.parent / "examples"))
import itertools

from render_letters import docs_page, sample_session

ROOT = Path(__file__).parent.parent
FORMATS = ("text", "md", "html")
SESSION = sample_session()
MD = MarkdownIt("commonmark")


def minimal(letter: Letter) -> dict[str, Any]:
    return {f.name: (["One"] if f.many else "One") for f in letter.fields if f.required}


class TestAllLetters:
    @pytest.mark.parametrize("letter_id", list(LETTERS))
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_from_a_completed_coping_plan(self, letter_id: str, fmt: str) -> None:
        """A completed coping-plan session renders all six letters in all three formats."""
        out = render_letter(letter_id, SESSION, fmt)  # type: ignore[arg-type]
        assert len(out) > 60
        assert "None" not in out
        if fmt == "html":
            assert out.startswith("<!DOCTYPE html>")
            assert "<style>" in out
            assert "http" not in out  # no external assets

    def test_self_compassion_letter_is_theirs(self) -> None:
        """It uses the person's name, their words, and the wise voice's signature."""
        out = render_letter("self-compassion-letter", SESSION)
        assert out.startswith("Dear Alex,\n")
        assert "Oh, love. Of course this hurts." in out
        assert "the feeling that stands out most right now is lonely" in out
        assert out.rstrip().endswith("All my love,\nGrandma Rose")

    def test_choices_render_as_labels_and_lists_as_lists(self) -> None:
        """Choices show their labels; lists become lists in every format."""
        text = render_letter("reach-out-message", SESSION)
        assert "- Just company: a game, a walk, a meal" in text
        md = render_letter("my-coping-plan", SESSION, "md")
        assert "Repair: try to mend the relationship." in md
        assert "\n- Hurt\n" in md
        page = render_letter("action-plan", SESSION, "html")
        assert "<ol>\n  <li>Ask friends if they know anyone, on Monday</li>" in page

    def test_docs_sample_page_is_current(self) -> None:
        """docs/letters.md is what the example renders today."""
        assert (ROOT / "docs" / "letters.md").read_text(encoding="utf-8") == docs_page()

    def test_missing_and_ready(self) -> None:
        """A letter says which required fields are empty, and whether a session can fill it."""
        plan = LETTERS["action-plan"]
        assert [f.name for f in plan.missing({"chosen": "Rest"})] == ["steps"]
        assert plan.missing({"chosen": "Rest", "steps": ("Sleep",)}) == ()
        assert all(LETTERS[i].ready_in(SESSION) for i in LETTERS)
        empty = Session.start(catalog().plan("five-minutes"), now=NOW)
        assert not LETTERS["my-coping-plan"].ready_in(empty)
        assert not plan.ready_in(empty)

    def test_an_in_progress_session(self) -> None:
        """A session still in progress renders with what it has."""
        session = SESSION
        while session.get("choose-a-path.path") is not None:
            session = session.back()
        out = render_letter("my-coping-plan", session, "text")
        assert "My path" not in out
        assert "Feelings I named" in out


def empty_headings(markdown: str) -> list[str]:
    """Headings followed straight away by a heading of the same or a higher level."""
    lines = [line for line in markdown.splitlines() if line.strip()]
    found = []
    for first, second in itertools.pairwise(lines):
        a, b = re.match(r"#*", first).group(), re.match(r"#*", second).group()  # type: ignore[union-attr]
        if a and b and len(b) <= len(a):
            found.append(first)
    for match in re.finditer(r"<h(\d)>[^<]*</h\d>\s*<h(\d)>", markdown):
        if int(match.group(2)) <= int(match.group(1)):
            found.append(match.group())
    return found


PUNCTUATION = re.compile(
    r" [,.:;]|,\.|\.\.|:\n\n(?:#|$)|\n{3,}|- \n|<li>\s*</li>|<ul>\s*</ul>|<p>\s*</p>"
)


class TestMissingAnswers:
    @pytest.mark.parametrize("letter_id", list(LETTERS))
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_only_required_fields(self, letter_id: str, fmt: str) -> None:
        """With only the required fields, sections drop out cleanly."""
        out = render_letter(letter_id, minimal(LETTERS[letter_id]), fmt)  # type: ignore[arg-type]
        body = out.split("<main>", 1)[-1]
        assert "None" not in body
        assert not PUNCTUATION.search(body), body
        assert not empty_headings(body), body

    @pytest.mark.parametrize("letter_id", [i for i, letter in LETTERS.items() if letter.required])
    def test_missing_required_field_names_it(self, letter_id: str) -> None:
        """Leaving out a required field raises an error that names it and its answer."""
        letter = LETTERS[letter_id]
        values = minimal(letter)
        missing = letter.required[0]
        values[missing] = None
        with pytest.raises(LetterError) as info:
            render_letter(letter_id, values)
        assert info.value.code == "missing_field"
        assert repr(missing) in str(info.value)

    def test_skipped_required_answer(self) -> None:
        """A skipped answer counts as missing, and the error names the answer."""
        session = Session.start(catalog().exercise("say-it-kindly"), now=NOW).skip(now=NOW)
        with pytest.raises(LetterError, match=r"'say-it-kindly\.who'"):
            render_letter("owning-feelings", session)

    def test_bad_calls(self) -> None:
        """Unknown letters, formats and fields, and wrong types, are clear errors."""
        with pytest.raises(LetterError, match="no letter 'love-letter'"):
            render_letter("love-letter", {})
        with pytest.raises(LetterError, match="format"):
            render_letter("action-plan", {"chosen": "x", "steps": ["y"]}, "pdf")  # type: ignore[arg-type]
        with pytest.raises(LetterError, match="no field 'colour'"):
            render_letter("action-plan", {"chosen": "x", "steps": ["y"], "colour": "red"})
        with pytest.raises(LetterError, match="list of text"):
            render_letter("action-plan", {"chosen": "x", "steps": "y"})
        with pytest.raises(LetterError, match="takes text"):
            render_letter("action-plan", {"chosen": ["x"], "steps": ["y"]})


class TestHosts:
    def test_override_a_built_in_template(self, tmp_path: Path) -> None:
        """A host's folder takes precedence over the built-in templates."""
        (tmp_path / "owning-feelings.txt").write_text("To {{ to }}: {{ feeling }}.")
        letters = Letters(template_dirs=[str(tmp_path)])
        assert (
            letters.render_fields("owning-feelings", {"to": "Jo", "feeling": "sad"})
            == "To Jo: sad.\n"
        )
        # other formats still come from the library
        assert "Dear Jo," in letters.render_fields(
            "owning-feelings", {"to": "Jo", "feeling": "sad"}, "md"
        )

    def test_a_jinja_loader_and_a_new_letter(self) -> None:
        """Hosts can pass a loader and define letters of their own."""
        gratitude = Letter(
            "gratitude",
            "Three good things",
            [Field("things", ["g.things"], many=True, required=True)],
        )
        loader = jinja2.DictLoader(
            {"gratitude.txt": "{% for t in things %}* {{ t }}\n{% endfor %}"}
        )
        letters = Letters(loader=loader, letters={"gratitude": gratitude})
        ex = Exercise(
            "g",
            "G",
            [
                Prompt(
                    "things",
                    "Three good things?",
                    __import__("rejection_toolkit").ItemList(min_items=3),
                )
            ],
        )
        session = Session.start(ex, now=NOW).answer(["sun", "tea", "Jo"], now=NOW)
        assert letters.render("gratitude", session) == "* sun\n* tea\n* Jo\n"
        with pytest.raises(LetterError, match=r"No template 'gratitude\.md'"):
            letters.render("gratitude", session, "md")

    def test_extra_context(self) -> None:
        """App name and date reach the templates."""
        letters = Letters(context={"app_name": "Kind Words"})
        out = letters.render(
            "self-compassion-letter", SESSION, "html", context={"date": "2 March 2026"}
        )
        assert '<p class="date">2 March 2026</p>' in out
        assert "Written with Kind Words" in out

    def test_template_typo_names_the_field(self, tmp_path: Path) -> None:
        """A template that uses an unknown name fails with a clear error."""
        (tmp_path / "action-plan.txt").write_text("{{ chosne }}")
        with pytest.raises(LetterError, match="uses 'chosne'"):
            Letters(template_dirs=[str(tmp_path)]).render("action-plan", SESSION)

    def test_compiled_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Rendering the same letter again does not compile it again."""
        letters = Letters()
        calls: list[str] = []
        original = jinja2.Environment.compile

        def counting(self: jinja2.Environment, *args: Any, **kwargs: Any) -> Any:
            calls.append(str(kwargs.get("name") or (args[1] if len(args) > 1 else "")))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(jinja2.Environment, "compile", counting)
        letters.render("self-compassion-letter", SESSION, "html")
        first = len(calls)
        for _ in range(3):
            letters.render("self-compassion-letter", SESSION, "html")
        assert first == 2  # the letter and the page it extends
        assert len(calls) == first

    def test_rendering_never_changes_the_session(self) -> None:
        """Sessions are values; rendering reads them and leaves them as they were."""
        before = SESSION.to_json()
        for letter_id in LETTERS:
            for fmt in FORMATS:
                render_letter(letter_id, SESSION, fmt)  # type: ignore[arg-type]
        assert SESSION.to_json() == before


PAYLOADS = [
    "{{ 7*7 }}",
    "{% for x in range(3) %}x{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ config }}",
    "${7*7} #{7*7} <%= 7*7 %> {{7*'7'}}",
    "{% raw %}{{ name }}{% endraw %}",
    "{#",
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1)) ![img](http://x/y.png)",
    "<https://example.invalid>",
    "*bold* _it_ `code` ~~gone~~",
    "# heading",
    "- item\n1. item\n> quote",
    "&amp; &lt;b&gt; \\*",
    "{{ name }}",
]


def md_tokens(markdown: str) -> list[str]:
    flat = []
    for token in MD.parse(markdown):
        flat.append(token.type)
        flat.extend(child.type for child in token.children or [])
    return flat


def md_text(markdown: str) -> str:
    parts = []
    for token in MD.parse(markdown):
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        parts.append(" ")
    return " ".join("".join(parts).split())


FORBIDDEN_MD = {
    "link_open",
    "image",
    "html_inline",
    "html_block",
    "code_inline",
    "em_open",
    "strong_open",
}


def check_literal(value: str, field: str = "kindness") -> None:
    values = {"name": "Sam", "voice": "Gran", field: value}
    text = render_letter("self-compassion-letter", values, "text")
    assert value.strip() in text
    page = render_letter("self-compassion-letter", values, "html")
    body = page.split("<main>", 1)[1]
    assert html.unescape(body).count(value.strip()) >= 1
    assert "<script>" not in body
    assert "<img" not in body
    markdown = render_letter("self-compassion-letter", values, "md")
    tokens = md_tokens(markdown)
    assert not FORBIDDEN_MD & set(tokens), tokens
    # CommonMark replaces NUL with U+FFFD; everything else must come back as typed
    assert " ".join(value.replace("\0", "\ufffd").split()) in md_text(markdown)


class TestAnswersAreData:
    @pytest.mark.parametrize("payload", PAYLOADS)
    def test_known_payloads(self, payload: str) -> None:
        """Template syntax, attribute chains, HTML and Markdown in answers stay literal."""
        check_literal(payload)
        check_literal(payload, "name")
        assert "49" not in render_letter(
            "self-compassion-letter", {"name": payload, "voice": "Gran"}
        )

    @given(any_text.filter(lambda s: s.strip() == s and "\n" not in s and "\r" not in s))
    def test_any_text(self, value: str) -> None:
        """Any single-line text appears exactly in text, escaped in HTML and inert in Markdown."""
        check_literal(value)

    @given(any_text)
    def test_any_text_in_plain_text(self, value: str) -> None:
        """In plain text, any answer appears exactly as typed (outer spaces trimmed)."""
        values = {"name": "Sam", "voice": "Gran", "closest": value}
        out = render_letter("self-compassion-letter", values, "text")
        expected = value.strip()
        assert expected in out or expected + "." in out

    def test_answers_from_a_session_are_never_code(self) -> None:
        """A session whose answers are payloads renders them as text."""
        ex = catalog().exercise("say-it-kindly")
        session = Session.start(ex, now=NOW).skip(now=NOW)
        for value in ("{{ 7*7 }}", "<b>me</b>", "[x](y)", "{% if %}", "fine"):
            session = session.answer(value, now=NOW)
        text = render_letter("owning-feelings", session)
        assert "Dear {{ 7*7 }}," in text
        assert "<b>me</b>" in text
        assert "&lt;b&gt;me&lt;/b&gt;" in render_letter("owning-feelings", session, "html")


GOOD_TEMPLATE = """Dear {{ name|title }},
{% if kindness %}{{ kindness|end_sentence }}{% endif %}
{% for q in qualities %}{{ loop.index }}. {{ q|upper }}
{% endfor %}{{ sign_off|default("Love") ~ "," }}
{{ voice }}{% if app_name is defined %} ({{ app_name }}){% endif %}"""

ESCAPES = [
    ("{{ ''.__class__.__mro__ }}", "forbidden"),
    ("{{ name.__class__ }}", "forbidden"),
    ("{{ name|attr('__class__') }}", "forbidden_filter"),
    ("{{ name|safe }}", "forbidden_filter"),
    ("{{ {'a': 1}|xmlattr }}", "forbidden_filter"),
    ("{{ '%s'|format(name) }}", "forbidden_filter"),
    ("{{ '{0.__class__}'.format(name) }}", "forbidden"),
    ("{{ name % 1 }}", "forbidden"),
    ("{{ qualities|join(',', attribute='__class__') }}", "forbidden"),
    ("{{ qualities.append('x') }}", "forbidden"),
    ("{% set x = name %}", "forbidden"),
    ("{% include 'x.txt' %}", "forbidden"),
    ("{% extends 'x.txt' %}", "forbidden"),
    ("{% import 'x.txt' as x %}", "forbidden"),
    ("{% from 'x' import y %}", "forbidden"),
    ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "forbidden"),
    ("{{ self }}", "unknown_name"),
    ("{{ range(10**9)|list }}", "forbidden"),
    ("{{ 'a' * 1000000000 }}", "forbidden"),
    ("{{ 9 ** 9 ** 9 }}", "forbidden"),
    ("{{ cycler }}", "unknown_name"),
    ("{{ lipsum }}", "unknown_name"),
    ("{{ secret }}", "unknown_name"),
    ("{% for a in qualities %}{% for b in qualities %}x{% endfor %}{% endfor %}", "forbidden"),
    ("{% for c in closest %}x{% endfor %}", "forbidden"),
    ("{% for q in qualities recursive %}{{ loop(q) }}{% endfor %}", "forbidden"),
    ("{{ name[1:] }}", "forbidden"),
    ("{{ name['__class__'] }}", "forbidden"),
    ("{% filter upper %}x{% endfilter %}", "forbidden"),
    ("{% if name is callable %}x{% endif %}", "forbidden_test"),
    ("{{ name", "syntax"),
    ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}", "too_complex"),
    ("x" * 20_001, "too_large"),
]


class TestUntrusted:
    def test_a_reasonable_template_renders(self) -> None:
        """A clinician's template with fields, filters, ifs and a loop is accepted."""
        letters = Letters(context={"app_name": "Clinic", "secret": "never shown"})
        assert letters.check_untrusted(GOOD_TEMPLATE, "self-compassion-letter") == ()
        out = letters.render_untrusted(GOOD_TEMPLATE, "self-compassion-letter", SESSION)
        assert out.startswith("Dear Alex,\nOh, love.")
        assert "1. KIND\n2. FUNNY\n3. LOYAL\nAll my love,\nGrandma Rose (Clinic)" in out

    @pytest.mark.parametrize(("source", "code"), ESCAPES, ids=[s[:30] for s, _ in ESCAPES])
    def test_escapes_are_rejected(self, source: str, code: str) -> None:
        """Known sandbox-escape and denial-of-service payloads are refused before rendering."""
        letters = Letters()
        started = time.perf_counter()
        with pytest.raises(UntrustedTemplateError) as info:
            letters.render_untrusted(source, "self-compassion-letter", {"name": "A", "voice": "B"})
        assert time.perf_counter() - started < 5
        assert code in {p.code for p in info.value.problems}
        assert str(info.value).startswith("The template was rejected")

    def test_output_is_capped(self) -> None:
        """Output past the cap stops rendering with a clear error."""
        source = "{% for q in qualities %}" + "{{ closest }}" * 50 + "{% endfor %}"
        values = {"name": "A", "voice": "B", "closest": "x" * 9000, "qualities": ["q"] * 20}
        with pytest.raises(LetterError) as info:
            Letters().render_untrusted(
                source, "self-compassion-letter", values, max_output_chars=100_000
            )
        assert info.value.code == "too_large"

    def test_only_declared_fields_and_escaping(self) -> None:
        """Values stay data in the sandbox too, and HTML output is escaped."""
        letters = Letters()
        out = letters.render_untrusted(
            "<p>{{ name }}</p>",
            "self-compassion-letter",
            {"name": "<script>x</script>", "voice": "v"},
            "html",
        )
        assert out == "<p>&lt;script&gt;x&lt;/script&gt;</p>\n"
        with pytest.raises(LetterError, match="needs 'voice'"):
            letters.render_untrusted("{{ name }}", "self-compassion-letter", {"name": "n"})

    def test_untrusted_templates_compile_once(self) -> None:
        """The same untrusted source is compiled once per format."""
        letters = Letters()
        for _ in range(3):
            letters.render_untrusted(
                "{{ name }}", "self-compassion-letter", {"name": "n", "voice": "v"}
            )
        assert len(letters._untrusted) == 1

    def test_sandbox_refusals_become_letter_errors(self) -> None:
        """Anything the sandbox itself refuses is reported without a traceback into Jinja."""
        letters = Letters()
        with pytest.raises(LetterError) as info:
            letters.render_untrusted(
                "{{ qualities[5] }}",
                "self-compassion-letter",
                {"name": "n", "voice": "v", "qualities": ["a"]},
            )
        assert info.value.code == "render_failed"
