"""Walk a small three-exercise plan with a branch, save it half-way, and finish it.

Run it with ``python examples/quickstart.py``. It prints each prompt with the
scripted answer, the saved JSON document, and the results at the end.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from rejection_toolkit import (
    Exercise,
    Plan,
    Prompt,
    Scale,
    Session,
    ShortText,
    SingleChoice,
    Stage,
    Step,
    YesNo,
    answer,
)

hurt = Prompt(
    "hurt",
    "How intense is the hurt right now?",
    Scale(0, 10, min_label="none", max_label="the worst you can imagine"),
)

check = Exercise(
    "check-the-reason",
    "Is there anything true in the reason?",
    [
        Step(hurt, id="hurt-before"),
        Prompt("reason", "What reason were you given, or do you suspect?", ShortText()),
        Prompt(
            "holds",
            "Looking at it calmly, does the reason hold up?",
            SingleChoice([("yes", "Yes"), ("no", "No"), ("unsure", "I can't tell")]),
            required=True,
        ),
        Step(
            Prompt("change", "Do you want to change this, for yourself and not for them?", YesNo()),
            when=answer("holds").equals("yes"),
        ),
    ],
)
grow = Exercise(
    "grow",
    "Change on your own terms",
    [
        Prompt("goal", "What is one small goal you could reach?", ShortText()),
    ],
)
heal = Exercise(
    "heal",
    "Be kind to yourself",
    [
        Prompt(
            "kind-thing",
            "You named this reason: {check-the-reason.reason}. "
            "Whatever its truth, what is one kind thing you will do for yourself today?",
            ShortText(),
            fallback_text="What is one kind thing you will do for yourself today?",
        ),
        Step(hurt, id="hurt-after"),
    ],
)

plan = Plan(
    "quick-reason-check",
    "A quick reason check",
    [
        check,
        Stage(grow, when=answer("check-the-reason.change").equals(True)),
        heal,
    ],
)

SCRIPT = [
    4,
    "I was told I interrupt people",
    "yes",
    True,
    "Let others finish first this week",
    "Call my sister",
    3,
]


def main() -> None:
    now = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    session = Session.start(plan, now=now)
    saved = ""
    for n, value in enumerate(SCRIPT):
        step = session.current
        assert step is not None
        print(f"[{session.progress.done + 1}] {step.text}\n    -> {value}")
        session = session.answer(value, now=now + timedelta(minutes=n))
        if n == 2:
            saved = session.to_json()
            print(f"\nSaved half-way ({len(saved)} bytes):\n{saved}\n")
            session = Session.from_json(plan, saved)  # as a later request would
    assert session.is_complete
    print("\nDone. Your answers:")
    for exercise_key, answers in session.results.items():
        for step_id, given in answers.items():
            print(f"  {exercise_key}.{step_id}: {given.text}")


if __name__ == "__main__":
    main()
