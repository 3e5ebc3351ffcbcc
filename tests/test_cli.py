"""The command line: list, show, run, render, validate and schema."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rejection_toolkit._cli import main

from .conftest import NOW


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rejection_toolkit", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, **(env or {})},
    )


def answers(monkeypatch: pytest.MonkeyPatch, lines: list[str]) -> None:
    """Feed the interactive prompts from a list; end of input after the last line."""
    feed: Iterator[str] = iter(lines)

    def fake_input(prompt: str = "") -> str:
        print(prompt, end="")
        try:
            return next(feed)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)


class TestListAndShow:
    def test_list(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Every item is listed with its id, kind, minutes and title."""
        assert main(["list"]) == 0
        out = capsys.readouterr().out
        assert "coping-plan" in out
        assert "self-compassion-letter" in out
        assert len(out.splitlines()) == 30

    def test_list_filters_and_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Filters combine, and --json prints data."""
        assert (
            main(["list", "--kind", "romantic", "--max-minutes", "8", "--exercises", "--json"]) == 0
        )
        rows = json.loads(capsys.readouterr().out)
        assert {r["id"] for r in rows} >= {"their-choice", "keep-searching", "body-scan"}
        assert all(r["minutes"] <= 8 and r["type"] == "exercise" for r in rows)
        assert "learn-from-it" not in {r["id"] for r in rows}
        assert main(["list", "--approach", "communication", "--plans", "--max-minutes", "5"]) == 0
        assert capsys.readouterr().out == "Nothing matches those filters.\n"

    def test_show_exercise_and_plan(self, capsys: pytest.CaptureFixture[str]) -> None:
        """show prints steps, rationale and sources, or a plan's branches."""
        assert main(["show", "choose-a-path"]) == 0
        out = capsys.readouterr().out
        assert "Why it helps:" in out
        assert "(only if path is repair)" in out
        assert "Sources:" in out
        assert main(["show", "reason-check"]) == 0
        assert "(only if check-the-reason.change is yes)" in capsys.readouterr().out

    def test_show_json_and_mermaid(self, capsys: pytest.CaptureFixture[str]) -> None:
        """--json prints the definition; --mermaid the flowchart of a plan."""
        assert main(["show", "heal", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["id"] == "heal"
        assert main(["show", "letter-week", "--mermaid"]) == 0
        assert capsys.readouterr().out.startswith("flowchart TD\n")
        assert main(["show", "heal", "--mermaid"]) == 2
        assert "draws plans" in capsys.readouterr().err

    def test_unknown_id_is_a_usage_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        """A typo gets exit code 2 and a suggestion, not a traceback."""
        assert main(["show", "coping-plna"]) == 2
        err = capsys.readouterr().err
        assert "Did you mean 'coping-plan'?" in err
        assert "Traceback" not in err


class TestValidateRenderSchema:
    def test_validate(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A good definition passes; a bad one lists every problem, exit code 1."""
        good = tmp_path / "mine.toml"
        good.write_text(
            'type = "plan"\nid = "mine"\ntitle = "Mine"\n[[items]]\nexercise = "heal"\n'
        )
        assert main(["validate", str(good)]) == 0
        assert "ok, plan 'mine' with 7 steps" in capsys.readouterr().out
        bad = tmp_path / "bad.json"
        bad.write_text(
            json.dumps(
                {
                    "type": "exercise",
                    "id": "x",
                    "title": "X",
                    "steps": [{"prompt": {"id": "A", "text": " "}}],
                }
            )
        )
        assert main(["validate", str(bad)]) == 1
        out = capsys.readouterr().out
        assert "2 problem(s)" in out
        assert "exercise 'x' > step 1 'A' > prompt 'A' > id" in out
        assert main(["validate", str(tmp_path / "missing.json")]) == 2

    def test_render_from_fields_and_session(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """render takes a JSON object of fields or a saved session, in any format."""
        fields = tmp_path / "fields.json"
        fields.write_text(json.dumps({"chosen": "Ask for feedback", "steps": ["Email Sam"]}))
        assert main(["render", "action-plan", "--answers", str(fields)]) == 0
        assert "1. Email Sam" in capsys.readouterr().out
        out = tmp_path / "plan.html"
        assert (
            main(
                [
                    "render",
                    "action-plan",
                    "--answers",
                    str(fields),
                    "--format",
                    "html",
                    "-o",
                    str(out),
                ]
            )
            == 0
        )
        assert out.read_text().startswith("<!DOCTYPE html>")
        from rejection_toolkit import Session, catalog

        session = Session.start(catalog().exercise("say-it-kindly"), now=NOW)
        for value in (None, "Jo", "left out", "we drift apart", "I saw the photos", "we talk"):
            session = session.skip(now=NOW) if value is None else session.answer(value, now=NOW)
        saved = tmp_path / "session.json"
        saved.write_text(session.to_json())
        assert main(["render", "owning-feelings", "--answers", str(saved)]) == 0
        assert "I'm feeling left out, and I'm afraid that we drift apart" in capsys.readouterr().out

    def test_render_problems(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """A missing field is a problem (1); an unreadable file a usage error (2)."""
        fields = tmp_path / "fields.json"
        fields.write_text(json.dumps({"chosen": "x"}))
        assert main(["render", "action-plan", "--answers", str(fields)]) == 1
        assert "needs 'steps'" in capsys.readouterr().err
        fields.write_text("[1, 2]")
        assert main(["render", "action-plan", "--answers", str(fields)]) == 2
        fields.write_text("{")
        assert main(["render", "action-plan", "--answers", str(fields)]) == 2

    def test_template_dir(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
        """--template-dir overrides the built-in template."""
        (tmp_path / "action-plan.txt").write_text("Plan: {{ chosen }}")
        fields = tmp_path / "fields.json"
        fields.write_text(json.dumps({"chosen": "Rest", "steps": ["Sleep"]}))
        assert (
            main(
                ["render", "action-plan", "--answers", str(fields), "--template-dir", str(tmp_path)]
            )
            == 0
        )
        assert capsys.readouterr().out == "Plan: Rest\n"

    def test_schema(self, capsys: pytest.CaptureFixture[str]) -> None:
        """schema prints either JSON Schema."""
        assert main(["schema", "session"]) == 0
        assert json.loads(capsys.readouterr().out)["title"] == "rejection_toolkit saved session"
        assert main(["schema"]) == 0
        assert "definition" in json.loads(capsys.readouterr().out)["title"]


class TestRunInProcess:
    def test_walk_back_skip_and_letters(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A whole walk: choices by number and label, back, skip, lists, letters at the end."""
        answers(
            monkeypatch,
            [
                "5",
                "Jo stopped replying",
                "",
                "chest, Throat, fizzing",
                ":back",
                "1, 2",
                "lonely",
                "eleven",
                "7",
                ":skip",
                "3",
                "y",
            ],
        )
        save = tmp_path / "s.json"
        letters = tmp_path / "letters"
        assert (
            main(["run", "five-minutes", "--save", str(save), "--letters-dir", str(letters)]) == 0
        )
        out = capsys.readouterr().out
        assert "Before, you answered: Chest, Throat, fizzing" in out
        assert "This step expects a whole number." in out
        assert "You've finished." in out
        assert sorted(p.name for p in letters.iterdir()) == [
            "my-coping-plan.html",
            "my-coping-plan.md",
            "my-coping-plan.txt",
        ]
        saved = json.loads(save.read_text())
        assert saved["path"][-2][0] == "heal/kind-thing"
        assert saved["path"][-2][2] == {"skipped": True}

    def test_end_of_input_saves(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """When input ends, everything typed so far is saved."""
        answers(monkeypatch, ["6", "It was my birthday and nobody came"])
        save = tmp_path / "s.json"
        assert main(["run", "five-minutes", "--save", str(save)]) == 0
        assert f"Saved to {save}" in capsys.readouterr().out
        assert len(json.loads(save.read_text())["path"]) == 2

    def test_safety_message_at_once(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A worrying answer brings the crisis message and resources straight away."""
        answers(monkeypatch, ["6", "I don't want to be alive anymore", ":quit"])
        assert (
            main(["run", "five-minutes", "--save", str(tmp_path / "s.json"), "--country", "US"])
            == 0
        )
        out = capsys.readouterr().out
        assert "988 Suicide & Crisis Lifeline: call 988; text 988" in out
        assert out.index("988") < out.index("[3/")

    def test_resume_needs_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        """Resuming from a missing file, or running nothing, is a usage error."""
        assert main(["run", "--resume", "/nonexistent/s.json"]) == 2
        assert main(["run"]) == 2
        assert "Say what to run" in capsys.readouterr().err


class TestAsAProgram:
    def test_help_on_every_command(self) -> None:
        """--help works for the program and every command, with examples."""
        main_help = cli("--help").stdout
        for command in ("list", "show", "run", "render", "validate", "schema"):
            assert f"    {command} " in main_help
        for command in ("list", "show", "run", "render", "validate", "schema"):
            result = cli(command, "--help")
            assert result.returncode == 0
            assert "examples:" in result.stdout

    def test_usage_error_exit_code(self) -> None:
        """A bad option exits 2 with argparse's message."""
        result = cli("list", "--kind", "cosmic")
        assert result.returncode == 2
        assert "invalid choice" in result.stderr

    def test_no_colour_when_piped(self) -> None:
        """Piped output has no escape codes, and NO_COLOR is respected."""
        assert "\033[" not in cli("list").stdout
        assert "\033[" not in cli("show", "heal", env={"NO_COLOR": "1"}).stdout

    @pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
    def test_interactive_run_in_a_terminal(self, tmp_path: Path) -> None:
        """A real terminal: answer, go back, save, quit, resume and finish."""
        pexpect = pytest.importorskip("pexpect")
        save = tmp_path / "session.json"
        env = {**os.environ, "NO_COLOR": "1"}
        args = [
            "-m",
            "rejection_toolkit",
            "run",
            "five-minutes",
            "--save",
            str(save),
            "--letters-dir",
            str(tmp_path / "letters"),
        ]
        child = pexpect.spawn(sys.executable, args, encoding="utf-8", timeout=30, env=env)
        child.expect(r"\[1/8\] How intense is the hurt right now\?")
        child.sendline("8")
        child.expect(r"\[2/8\] In a sentence or two")
        child.sendline("My brother skipped my wedding")
        child.expect(r"Press Enter")
        child.sendline(":back")
        child.expect(r"Before, you answered: My brother skipped my wedding")
        child.sendline("My brother skipped my wedding.")
        child.expect(r"Press Enter")
        child.sendline(":save")
        child.expect(r"Saved to")
        child.sendline(":quit")
        child.expect(pexpect.EOF)
        assert len(json.loads(save.read_text())["path"]) == 2

        child = pexpect.spawn(
            sys.executable,
            [
                "-m",
                "rejection_toolkit",
                "run",
                "--resume",
                str(save),
                "--letters-dir",
                str(tmp_path / "letters"),
            ],
            encoding="utf-8",
            timeout=30,
            env=env,
        )
        child.expect(r"\[3/8\] Take twenty seconds")
        for reply in ("", "1", "Hurt", "6", "Call a friend", "5"):
            child.expect("> ")
            child.sendline(reply)
        child.expect(r"\[Y/n\]")
        child.sendline("")
        child.expect(r"Your letters are in")
        child.expect(pexpect.EOF)
        assert (tmp_path / "letters" / "my-coping-plan.txt").exists()
        assert json.loads(save.read_text())["path"][-1][2] == 5

    @pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
    def test_ctrl_c_saves(self, tmp_path: Path) -> None:
        """Ctrl-C saves what was typed before leaving."""
        pexpect = pytest.importorskip("pexpect")
        save = tmp_path / "session.json"
        child = pexpect.spawn(
            sys.executable,
            ["-m", "rejection_toolkit", "run", "five-minutes", "--save", str(save)],
            encoding="utf-8",
            timeout=30,
            env={**os.environ, "NO_COLOR": "1"},
        )
        child.expect("> ")
        child.sendline("3")
        child.expect("> ")
        child.sendintr()
        child.expect(pexpect.EOF)
        assert len(json.loads(save.read_text())["path"]) == 1


class TestOwnDefinitions:
    def test_show_and_run_a_definition_file(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """A host's own TOML exercise can be shown, run, resumed and rendered from."""
        mine = tmp_path / "evening.toml"
        mine.write_text(
            'type = "exercise"\nid = "evening"\ntitle = "Evening"\nsummary = "A short check."\n'
            'rationale = "Noticing helps."\nsources = ["Our own."]\n'
            '[[steps]]\nuse = "distress"\nid = "distress-before"\n'
            '[[steps]]\nprompt = { id = "people", text = "Who helped today?", '
            'answer = { kind = "item_list", min_items = 1 } }\n'
            '[[steps]]\nprompt = { id = "ok", text = "Feeling safe?", answer = { kind = "yes_no" } }\n'
        )
        assert main(["show", str(mine)]) == 0
        assert "Who helped today?" in capsys.readouterr().out
        answers(monkeypatch, ["4", "Sam", "Jo", "", ":save", ":quit"])
        save = tmp_path / "s.json"
        assert main(["run", str(mine), "--save", str(save)]) == 0
        assert len(json.loads(save.read_text())["path"]) == 2
        answers(monkeypatch, ["maybe", "yes", "n"])
        assert main(["run", str(mine), "--resume", str(save)]) == 0
        out = capsys.readouterr().out
        assert "Please answer yes or no." in out
        assert "You've finished." in out
        assert main(["run", "--resume", str(mine)]) == 2
