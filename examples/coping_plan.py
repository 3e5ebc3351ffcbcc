"""Walk the built-in coping plan with one person's scripted answers.

Run it with ``python examples/coping_plan.py``. It prints every step as a
person would see it, the answer given (or that it was skipped), and a short
summary at the end. A real app shows the same steps in its own interface.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from rejection_toolkit import Info, Session, catalog

ANSWERS: dict[str, Any] = {
    "acknowledge/distress-before": 7,
    "acknowledge/what-happened": "Dana said she doesn't see a future with me and moved out on Sunday.",
    "acknowledge/kind": "romantic",
    "acknowledge/lost": {"selected": ["future", "person"], "other": "Our Sunday routines"},
    "reach-out/people": ["My brother Leo", "Priya from work", "My old flatmate Sam"],
    "reach-out/first": "Leo",
    "reach-out/want": ["listen", "company"],
    "reach-out/when": "Tonight after dinner",
    "reach-out/share": "Dana and I broke up and the flat feels very quiet.",
    "reach-out/invite": "a walk by the river on Saturday",
    "body-scan/pace": "long",
    "body-scan/where": ["chest", "throat"],
    "body-scan/feels": ["tight", "hollow"],
    "body-scan/movement": "still",
    "body-scan/standout": "A tight band across my chest",
    "name-the-feeling/anxiety": ["worried"],
    "name-the-feeling/anger": [],
    "name-the-feeling/sadness": ["hurt", "lonely", "grieving"],
    "name-the-feeling/shame": ["embarrassed"],
    "name-the-feeling/lighter": ["relieved"],
    "name-the-feeling/strongest": "Lonely",
    "name-the-feeling/strongest-intensity": 8,
    "name-the-feeling/cause": "Coming home to an empty flat.",
    "name-the-feeling/thoughts": "Maybe I'm too much work to love.",
    "name-the-feeling/urges": ["checking"],
    "self-compassion-letter/name": "Alex",
    "self-compassion-letter/voice": "Grandma Rose",
    "self-compassion-letter/sign-off": "All my love",
    "self-compassion-letter/what-happened": "Dana ended things and I feel lonely and a bit ashamed.",
    "self-compassion-letter/kindness": "Oh, love. Of course this hurts. You gave it your whole heart.",
    "self-compassion-letter/everyone": "Nearly everyone has a heartbreak like this. It means you loved someone.",
    "self-compassion-letter/other-view": "You two wanted different lives. That is sad, not shameful.",
    "self-compassion-letter/lesson": "Say what you need earlier, and keep your friends close.",
    "self-compassion-letter/qualities": ["Kind", "Funny", "Loyal"],
    "problem-solving/situation": "Dana moved out and I'm alone in a flat I can't really afford.",
    "problem-solving/goal": "To feel settled at home again and keep my savings safe.",
    "problem-solving/options": [
        "Find a flatmate",
        "Move somewhere smaller",
        "Ask Leo for a short loan",
    ],
    "problem-solving/chosen": "Find a flatmate",
    "problem-solving/next-steps": [
        "Ask friends if they know anyone, on Monday",
        "Post an ad by Friday",
    ],
    "choose-a-path/path": "new",
    "choose-a-path/new-people": ["Priya", "Sam"],
    "choose-a-path/new-actions": ["Ask Priya to lunch on Thursday", "Call Sam this weekend"],
    "choose-a-path/distress-after": 5,
}


def main() -> None:
    plan = catalog().plan("coping-plan")
    now = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
    session = Session.start(plan, now=now)
    print(f"{plan.title} ({plan.minutes} minutes or so)\n")
    minute = 0
    while (step := session.current) is not None:
        minute += 1
        progress = session.progress
        print(f"[{progress.done + 1}/{progress.done + progress.remaining_max}] {step.text}")
        when = now + timedelta(minutes=minute)
        if isinstance(step.prompt.answer, Info):
            session = session.answer(now=when)
        elif step.address in ANSWERS:
            session = session.answer(ANSWERS[step.address], now=when)
            print(f"    -> {session.answers[-1].text}")
        else:
            print("    -> (skipped)")
            session = session.skip(now=when)

    before = session.get("acknowledge.distress-before")
    after = session.get("choose-a-path.distress-after")
    chosen = session.get("choose-a-path.path")
    assert before is not None
    assert after is not None
    assert chosen is not None
    print("\nDone.")
    print(f"Hurt before: {before.text}/10, after: {after.text}/10")
    print(f"Path chosen: {chosen.text}")
    print(f"Saved state: {len(session.to_json())} bytes of JSON")


if __name__ == "__main__":
    main()
