"""The ``rejection-toolkit`` command: list, show, run, render, validate, schema.

A thin shell over the public API, using only the standard library. Exit codes:
0 when all went well, 1 when problems were found (an invalid definition, a
letter that cannot be written), 2 for a usage error (a bad option, an unknown
id, a file that cannot be read).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from . import (
    LETTERS,
    Approach,
    Exercise,
    Info,
    ItemList,
    Kind,
    Letters,
    MultipleChoice,
    Plan,
    Scale,
    Session,
    SingleChoice,
    YesNo,
    catalog,
    definition_from_json,
    definition_from_toml,
    help_for,
    json_schema,
)
from ._diagram import describe
from .exceptions import AnswerError, DefinitionError, RejectionToolkitError, SessionError

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in how the command was called: exit code 2, no traceback."""


class Style:
    """Bold and dim text on a terminal; plain text when piped or with NO_COLOR."""

    def __init__(self, stream: TextIO) -> None:
        self.on = (
            stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
        )

    def bold(self, text: str) -> str:
        return f"\033[1m{text}\033[0m" if self.on else text

    def dim(self, text: str) -> str:
        return f"\033[2m{text}\033[0m" if self.on else text


def _now() -> datetime:
    return datetime.now(UTC)


# -- finding what to work on --------------------------------------------------------


def load_definition(path: Path) -> Exercise | Plan:
    """Read a user's exercise or plan from a JSON or TOML file."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Cannot read {path}: {error.strerror}.") from None
    known = catalog()
    if path.suffix == ".toml":
        return definition_from_toml(text, exercises=known.exercises_by_id, prompts=known.prompts)
    return definition_from_json(text, exercises=known.exercises_by_id, prompts=known.prompts)


def find(item: str) -> Exercise | Plan:
    """A catalog id, or the path of a definition file."""
    path = Path(item)
    if path.suffix in (".json", ".toml") and path.exists():
        return load_definition(path)
    try:
        return catalog().get(item)
    except KeyError as error:
        raise UsageError(str(error)) from None


# -- list and show --------------------------------------------------------------------


def cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    items = catalog().find(
        kind=args.kind,
        approach=args.approach,
        max_minutes=args.max_minutes,
        plans=not args.exercises,
        exercises=not args.plans,
    )
    if args.json:
        rows = [
            {
                "id": i.id,
                "type": "plan" if isinstance(i, Plan) else "exercise",
                "title": i.title,
                "minutes": i.minutes,
                "kinds": [str(k) for k in i.kinds],
                "approaches": [str(a) for a in i.approaches],
            }
            for i in items
        ]
        out.write(json.dumps(rows, indent=2) + "\n")
        return EXIT_OK
    style = Style(out)
    if not items:
        out.write("Nothing matches those filters.\n")
        return EXIT_OK
    width = max(len(i.id) for i in items)
    for item in items:
        kind = "plan" if isinstance(item, Plan) else "exercise"
        tags = ", ".join(str(k) for k in item.kinds)
        out.write(
            f"{style.bold(item.id.ljust(width))}  {kind:8}  {item.minutes:>3} min  "
            f"{item.title}  {style.dim('(' + tags + ')')}\n"
        )
    return EXIT_OK


def _answer_line(prompt: Any) -> str:
    kind = prompt.answer
    if isinstance(kind, SingleChoice | MultipleChoice):
        many = "pick any" if isinstance(kind, MultipleChoice) else "pick one"
        return f"{many}: " + "; ".join(o.label for o in kind.options)
    if isinstance(kind, Scale):
        ends = [x for x in (kind.min_label, kind.max_label) if x]
        extra = f" ({' to '.join(ends)})" if ends else ""
        return f"a number from {kind.min} to {kind.max}{extra}"
    if isinstance(kind, ItemList):
        return f"a list of {kind.min_items} to {kind.max_items} items"
    if isinstance(kind, YesNo):
        return "yes or no"
    if isinstance(kind, Info):
        return "read, then continue"
    return "your own words"


def show_exercise(exercise: Exercise, out: TextIO, style: Style) -> None:
    out.write(f"{style.bold(exercise.title)}  [{exercise.id}, about {exercise.minutes} min]\n\n")
    out.write(f"{exercise.summary}\n\nWhy it helps: {exercise.rationale}\n\nSteps:\n")
    for n, step in enumerate(exercise.steps, 1):
        when = f" {style.dim('(only if ' + describe(step.when) + ')')}" if step.when else ""
        out.write(f"  {n:>2}. {step.prompt.text}{when}\n")
        out.write(f"      {style.dim(_answer_line(step.prompt))}\n")
    out.write("\nSources:\n")
    out.writelines(f"  - {source}\n" for source in exercise.sources)


def cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    item = find(args.id)
    if args.mermaid:
        if not isinstance(item, Plan):
            raise UsageError(f"{item.id!r} is an exercise; --mermaid draws plans.")
        out.write(item.to_mermaid())
        return EXIT_OK
    if args.json:
        out.write(json.dumps(item.to_dict(), indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    style = Style(out)
    if isinstance(item, Exercise):
        show_exercise(item, out, style)
        return EXIT_OK
    out.write(f"{style.bold(item.title)}  [{item.id}, plan, about {item.minutes} min]\n\n")
    out.write(f"{item.summary}\n\nExercises:\n")
    from ._model import Repeat

    for n, entry in enumerate(item.items, 1):
        if isinstance(entry, Repeat):
            out.write(f"  {n:>2}. {entry.times} times: ")
            out.write(", ".join(s.exercise.title for s in entry.stages) + "\n")
        else:
            when = f" {style.dim('(only if ' + describe(entry.when) + ')')}" if entry.when else ""
            out.write(f"  {n:>2}. {entry.exercise.title} [{entry.exercise.id}]{when}\n")
    out.write(f"\nShow one with: rejection-toolkit show {item.stages[0].exercise.id}\n")
    return EXIT_OK


# -- run --------------------------------------------------------------------------------


class Quit(Exception):  # noqa: N818 - control flow, not an error
    """The person asked to stop."""


class Runner:
    """Walks a session in the terminal, one prompt at a time."""

    def __init__(
        self,
        session: Session,
        save_path: Path,
        out: TextIO,
        read: Callable[[str], str],
        country: str | None,
    ) -> None:
        self.session = session
        self.save_path = save_path
        self.out = out
        self.read = read
        self.country = country
        self.style = Style(out)
        self.shown_tier = session.safety.tier

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def save(self) -> None:
        self.save_path.write_text(self.session.to_json(), encoding="utf-8")
        self.say(f"Saved to {self.save_path}. Continue with: --resume {self.save_path}")

    def run(self) -> bool:
        """Walk until done or quit; True when complete."""
        self.say(
            self.style.dim(
                "Answer each prompt and press Enter. Type :back, :skip, :save or :quit "
                "at any time, or :help."
            )
        )
        while (step := self.session.current) is not None:
            progress = self.session.progress
            total = progress.done + progress.remaining_max
            self.say()
            self.say(self.style.bold(f"[{progress.done + 1}/{total}] {step.text}"))
            if step.prompt.help:
                self.say(self.style.dim(step.prompt.help))
            kind = step.prompt.answer
            if isinstance(kind, SingleChoice | MultipleChoice):
                for n, option in enumerate(kind.options, 1):
                    self.say(f"  {n}. {option.label}")
                if isinstance(kind, MultipleChoice):
                    hint = "Type the numbers, separated by commas"
                    hint += (", and any other words" if kind.other else "") + "."
                    if kind.min_selected == 0:
                        hint += " Press Enter for none."
                    self.say(self.style.dim(hint))
            elif isinstance(kind, Scale):
                self.say(self.style.dim(_answer_line(step.prompt)))
            elif isinstance(kind, ItemList):
                self.say(self.style.dim("One item per line; an empty line when you're done."))
            elif isinstance(kind, Info):
                self.say(self.style.dim("Press Enter when you're ready to go on."))
            if step.prompt.examples and not isinstance(kind, SingleChoice | MultipleChoice):
                self.say(self.style.dim("For example: " + " / ".join(step.prompt.examples)))
            if step.previous is not None and step.previous.text:
                self.say(self.style.dim(f"Before, you answered: {step.previous.text}"))
            self.ask(step)
            self.offer_help()
        return True

    def ask(self, step: Any) -> None:
        while True:
            line = self.read("> ")
            command = line.strip().lower()
            if command in (":quit", ":q"):
                raise Quit
            if command == ":save":
                self.save()
                continue
            if command == ":help":
                self.say("Commands: :back (previous step), :skip, :save, :quit.")
                continue
            if command == ":back":
                try:
                    self.session = self.session.back()
                except SessionError as error:
                    self.say(str(error))
                    continue
                return
            if command == ":skip" or (not line.strip() and self.skippable_blank(step)):
                try:
                    self.session = self.session.skip(now=_now())
                except SessionError as error:
                    self.say(str(error))
                    continue
                return
            try:
                value = self.interpret(step.prompt, line)
                self.session = self.session.answer(value, now=_now())
            except AnswerError as error:
                self.say(error.message)
                continue
            return

    def skippable_blank(self, step: Any) -> bool:
        kind = step.prompt.answer
        if isinstance(kind, Info | ItemList) or (
            isinstance(kind, MultipleChoice) and kind.min_selected == 0
        ):
            return False
        return bool(step.can_skip)

    def interpret(self, prompt: Any, line: str) -> Any:
        kind = prompt.answer
        text = line.strip()
        if isinstance(kind, Info):
            return None
        if isinstance(kind, SingleChoice):
            return _pick(kind, text) or text
        if isinstance(kind, MultipleChoice):
            chosen, other = [], []
            for part in filter(None, (p.strip() for p in text.split(","))):
                value = _pick(kind, part)
                if value is not None:
                    chosen.append(value)
                else:
                    other.append(part)
            if other and kind.other:
                return {"selected": chosen, "other": ", ".join(other)}
            return chosen + other  # unknown parts are reported by the prompt
        if isinstance(kind, ItemList):
            items = [line]
            while True:
                more = self.read(". ")
                if not more.strip():
                    return items
                items.append(more)
        return text

    def offer_help(self) -> None:
        tier = self.session.safety.tier
        if tier <= self.shown_tier:
            return
        self.shown_tier = tier
        offer = help_for(tier, country=self.country)
        if offer is None:  # pragma: no cover - tier is above NONE here
            return
        self.say()
        self.say(self.style.bold(offer.message))
        for resource in offer.resources:
            ways = "; ".join(f"{c.kind} {c.value}" for c in resource.contacts)
            self.say(f"  {resource.name}: {ways}")
        self.say(offer.emergency_advice)
        self.say(self.style.dim("You can carry on with the exercise whenever you are ready."))


def _pick(kind: SingleChoice | MultipleChoice, text: str) -> str | None:
    if text.isdigit() and 1 <= int(text) <= len(kind.options):
        return kind.options[int(text) - 1].value
    lowered = text.lower()
    for option in kind.options:
        if lowered in (option.value.lower(), option.label.lower()):
            return option.value
    return None


def _saved_plan_id(text: str) -> str:
    try:
        plan_id = json.loads(text)["plan"]["id"]
    except (ValueError, KeyError, TypeError):
        raise UsageError("That file is not a saved session.") from None
    return str(plan_id)


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    if args.resume:
        path = Path(args.resume)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"Cannot read {path}: {error.strerror}.") from None
        item = find(args.item) if args.item else find(_saved_plan_id(text))
        session = Session.from_json(item, text)
        save_path = Path(args.save) if args.save else path
    else:
        if not args.item:
            raise UsageError("Say what to run, for example: rejection-toolkit run coping-plan")
        item = find(args.item)
        session = Session.start(item, now=_now())
        save_path = Path(args.save) if args.save else Path(f"{session.plan.id}-session.json")
    style = Style(out)
    out.write(style.bold(session.plan.title) + "\n")
    if session.plan.summary:
        out.write(session.plan.summary + "\n")
    runner = Runner(session, save_path, out, args.read, args.country)
    try:
        runner.run()
    except Quit:
        runner.save()
        return EXIT_OK
    except (EOFError, KeyboardInterrupt):
        out.write("\n")
        runner.save()
        return EXIT_OK
    runner.say()
    runner.say(runner.style.bold("You've finished. Thank you for taking this time for yourself."))
    runner.save()
    offer_letters(runner, Path(args.letters_dir) if args.letters_dir else None)
    return EXIT_OK


def offer_letters(runner: Runner, folder: Path | None) -> None:
    letters = Letters()
    ready = [i for i, letter in LETTERS.items() if letter.ready_in(runner.session)]
    if not ready:
        return
    names = ", ".join(LETTERS[i].title.lower() for i in ready)
    try:
        reply = runner.read(f"Write your letters to files ({names})? [Y/n] ")
    except (EOFError, KeyboardInterrupt):
        return
    if reply.strip().lower() in ("n", "no"):
        return
    folder = folder or Path(f"{runner.session.plan.id}-letters")
    folder.mkdir(parents=True, exist_ok=True)
    for letter_id in ready:
        for fmt, ext in (("text", "txt"), ("md", "md"), ("html", "html")):
            path = folder / f"{letter_id}.{ext}"
            path.write_text(letters.render(letter_id, runner.session, fmt), encoding="utf-8")  # type: ignore[arg-type]
    runner.say(f"Your letters are in {folder}/ as text, Markdown and HTML.")


# -- render, validate, schema --------------------------------------------------------------


def cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.answers)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Cannot read {path}: {error.strerror}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise UsageError(f"{path} is not JSON.") from None
    letters = Letters(template_dirs=tuple(args.template_dir or ()))
    fmt = args.format
    if isinstance(data, dict) and data.get("format") == "rejection-toolkit/session":
        item = find(args.definition) if args.definition else find(str(data["plan"]["id"]))
        rendered = letters.render(args.letter, Session.from_json(item, text), fmt)
    elif isinstance(data, dict):
        rendered = letters.render_fields(args.letter, data, fmt)
    else:
        raise UsageError(f"{path} should hold a saved session or an object of fields.")
    if args.output:
        Path(args.output).write_text(rendered, encoding="utf-8")
    else:
        out.write(rendered)
    return EXIT_OK


def cmd_validate(args: argparse.Namespace, out: TextIO) -> int:
    try:
        item = load_definition(Path(args.file))
    except DefinitionError as error:
        out.write(f"{args.file}: {len(error.problems)} problem(s)\n")
        out.writelines(f"  {problem}\n" for problem in error.problems)
        return EXIT_PROBLEMS
    kind = "plan" if isinstance(item, Plan) else "exercise"
    steps = len(item.layout.slots) if isinstance(item, Plan) else len(item.steps)
    out.write(f"{args.file}: ok, {kind} {item.id!r} with {steps} steps\n")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace, out: TextIO) -> int:
    out.write(json.dumps(json_schema(args.which), indent=2) + "\n")
    return EXIT_OK


# -- the parser -------------------------------------------------------------------------------

EXAMPLES = {
    "list": "examples:\n  rejection-toolkit list\n  rejection-toolkit list --kind professional "
    "--max-minutes 10\n  rejection-toolkit list --plans --json",
    "show": "examples:\n  rejection-toolkit show coping-plan\n  rejection-toolkit show body-scan "
    "--json\n  rejection-toolkit show reason-check --mermaid",
    "run": "examples:\n  rejection-toolkit run coping-plan\n  rejection-toolkit run five-minutes "
    "--country GB\n  rejection-toolkit run --resume coping-plan-session.json",
    "render": "examples:\n  rejection-toolkit render self-compassion-letter --answers "
    "coping-plan-session.json\n  rejection-toolkit render action-plan --answers fields.json "
    "--format html -o plan.html",
    "validate": "examples:\n  rejection-toolkit validate my-exercise.toml\n  "
    "rejection-toolkit validate my-plan.json",
    "schema": "examples:\n  rejection-toolkit schema definition > definition.schema.json\n  "
    "rejection-toolkit schema session",
}


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(
        prog="rejection-toolkit",
        description="Structured exercises for coping with rejection, in your terminal.",
        epilog="Run 'rejection-toolkit COMMAND --help' for the options of a command.",
    )
    commands = main.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help_text,
            description=help_text,
            epilog=EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    listing = command("list", "List the exercises and plans of the catalog.")
    listing.add_argument("--kind", choices=[str(k) for k in Kind], help="kind of rejection")
    listing.add_argument("--approach", choices=[str(a) for a in Approach], help="approach")
    listing.add_argument("--max-minutes", type=int, metavar="N", help="at most N minutes")
    only = listing.add_mutually_exclusive_group()
    only.add_argument("--plans", action="store_true", help="plans only")
    only.add_argument("--exercises", action="store_true", help="exercises only")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=cmd_list)

    show = command("show", "Show an exercise or plan: steps, rationale, sources, branches.")
    show.add_argument("id", help="a catalog id, or a .json/.toml definition file")
    form = show.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print the definition as JSON")
    form.add_argument("--mermaid", action="store_true", help="print a plan's flowchart")
    show.set_defaults(handler=cmd_show)

    run = command("run", "Walk an exercise or plan in the terminal.")
    run.add_argument("item", nargs="?", help="a catalog id, or a .json/.toml definition file")
    run.add_argument("--resume", metavar="FILE", help="continue a saved session")
    run.add_argument("--save", metavar="FILE", help="where to save (default: ID-session.json)")
    run.add_argument("--country", metavar="CC", help="country code for crisis resources, e.g. GB")
    run.add_argument("--letters-dir", metavar="DIR", help="where to write letters at the end")
    run.set_defaults(handler=cmd_run)

    render = command("render", "Render a letter from a saved session or a JSON file of fields.")
    render.add_argument("letter", choices=sorted(LETTERS), help="the letter")
    render.add_argument("--answers", required=True, metavar="FILE", help="session or fields")
    render.add_argument("--format", choices=["text", "md", "html"], default="text")
    render.add_argument("--template-dir", action="append", metavar="DIR", help="your templates")
    render.add_argument("--definition", metavar="FILE", help="the plan, if not in the catalog")
    render.add_argument("-o", "--output", metavar="OUT", help="write here instead of stdout")
    render.set_defaults(handler=cmd_render)

    validate = command("validate", "Check your own exercise or plan (JSON or TOML).")
    validate.add_argument("file", help="the definition file")
    validate.set_defaults(handler=cmd_validate)

    schema = command("schema", "Print a JSON Schema.")
    schema.add_argument("which", nargs="?", choices=["definition", "session"], default="definition")
    schema.set_defaults(handler=cmd_schema)
    return main


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = parser().parse_args(argv)
    args.read = input
    out = sys.stdout
    try:
        code: int = args.handler(args, out)
    except UsageError as error:
        sys.stderr.write(f"rejection-toolkit: {error}\n")
        return EXIT_USAGE
    except RejectionToolkitError as error:
        sys.stderr.write(f"rejection-toolkit: {error}\n")
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    return code


def run() -> None:
    """The console script's entry point."""
    sys.exit(main())
