"""Crisis resources and the calm messages that go with each safety tier.

The built-in table is small and dated: each entry says when it was last
checked. Hosts should review it for the places they serve, and can replace or
extend it, and replace the messages, without touching the library.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

import attrs

from ._screening import Tier

__all__ = [
    "Contact",
    "CrisisResource",
    "CrisisResources",
    "HelpOffer",
    "SafetyMessages",
    "crisis_resources",
    "help_for",
]

CHECKED = date(2026, 11, 30)

EMERGENCY_ADVICE = (
    "If you or someone else may be in immediate danger, call your local emergency number "
    "now: for example 911 in the United States and Canada, 999 or 112 in the United "
    "Kingdom, 112 or 999 in Ireland, and 000 in Australia."
)

DEFAULT_CONCERN = (
    "It sounds like things are very heavy right now, and you deserve support with that. "
    "Talking to someone can help: a person you trust, a doctor or counsellor, or one of "
    "the support lines below. If things get worse, please reach out straight away."
)

DEFAULT_URGENT = (
    "What you wrote sounds really painful, and it matters. You do not have to face this "
    "alone. If you might act on thoughts of hurting yourself or someone else, please call "
    "your local emergency number now. You can also contact one of the crisis lines below, "
    "where someone is ready to listen."
)


@attrs.frozen
class Contact:
    """One way to reach a service.

    Attributes:
        kind: ``"call"``, ``"text"``, ``"chat"``, ``"web"`` or ``"email"``.
        value: The number, address or link.
        detail: A short note, such as what to text.
    """

    kind: Literal["call", "text", "chat", "web", "email"]
    value: str
    detail: str = ""


def _to_contacts(contacts: Iterable[Contact]) -> tuple[Contact, ...]:
    return tuple(contacts)


@attrs.frozen
class CrisisResource:
    """A crisis or support service.

    Attributes:
        country: An ISO 3166-1 alpha-2 code such as ``"GB"``, or ``"*"`` for a
            service that serves every country.
        name: The service's name.
        contacts: How to reach it.
        checked: When the details were last checked.
        description: One line about the service.
    """

    country: str
    name: str
    contacts: tuple[Contact, ...] = attrs.field(converter=_to_contacts)
    checked: date
    description: str = ""


def _to_resources(resources: Iterable[CrisisResource]) -> tuple[CrisisResource, ...]:
    return tuple(resources)


@attrs.frozen
class CrisisResources:
    """A table of crisis resources and the advice about emergencies.

    Build your own to replace the built-in one, or extend it with
    `with_resources`.

    Examples:
        >>> from rejection_toolkit import crisis_resources
        >>> [r.name for r in crisis_resources().for_country("GB")]
        ['Samaritans', 'Find A Helpline']
    """

    resources: tuple[CrisisResource, ...] = attrs.field(converter=_to_resources)
    emergency_advice: str = EMERGENCY_ADVICE

    def for_country(self, country: str | None) -> tuple[CrisisResource, ...]:
        """The resources for ``country`` (any case), then the international ones.

        With no country, or one the table does not cover, only the
        international resources are returned.
        """
        code = (country or "").upper()
        local = [r for r in self.resources if r.country == code and code != "*"]
        return (*local, *(r for r in self.resources if r.country == "*"))

    def with_resources(self, *resources: CrisisResource) -> CrisisResources:
        """Return a table with ``resources`` added before the existing ones."""
        return attrs.evolve(self, resources=(*resources, *self.resources))

    @property
    def countries(self) -> tuple[str, ...]:
        """The country codes the table covers, sorted."""
        return tuple(sorted({r.country for r in self.resources if r.country != "*"}))


def crisis_resources() -> CrisisResources:
    """Return the built-in table of crisis resources.

    It covers the United States, Canada, the United Kingdom, Ireland and
    Australia, with an international directory for everywhere else. Each entry
    carries the date it was last checked; review it before relying on it.
    """
    return CrisisResources(
        [
            CrisisResource(
                "US",
                "988 Suicide & Crisis Lifeline",
                [
                    Contact("call", "988"),
                    Contact("text", "988"),
                    Contact("chat", "https://988lifeline.org/chat"),
                ],
                CHECKED,
                "Free, confidential support at any hour for anyone in distress.",
            ),
            CrisisResource(
                "CA",
                "9-8-8 Suicide Crisis Helpline",
                [Contact("call", "988"), Contact("text", "988"), Contact("web", "https://988.ca")],
                CHECKED,
                "Free support at any hour, in English and French.",
            ),
            CrisisResource(
                "GB",
                "Samaritans",
                [
                    Contact("call", "116 123", "free from any phone"),
                    Contact("email", "jo@samaritans.org"),
                    Contact("web", "https://www.samaritans.org"),
                ],
                CHECKED,
                "Someone to listen, day or night, without judgement.",
            ),
            CrisisResource(
                "IE",
                "Samaritans",
                [Contact("call", "116 123", "free from any phone")],
                CHECKED,
                "Someone to listen, day or night, without judgement.",
            ),
            CrisisResource(
                "AU",
                "Lifeline",
                [
                    Contact("call", "13 11 14"),
                    Contact("text", "0477 13 11 14"),
                    Contact("chat", "https://www.lifeline.org.au"),
                ],
                CHECKED,
                "Crisis support at any hour, by phone, text or chat.",
            ),
            CrisisResource(
                "*",
                "Find A Helpline",
                [Contact("web", "https://findahelpline.com")],
                CHECKED,
                "A directory of free, confidential helplines in many countries.",
            ),
        ]
    )


@attrs.frozen
class SafetyMessages:
    """The short messages shown for each tier; replace any of them.

    The defaults follow safe-messaging practice: they put hope and help first
    and never mention methods.
    """

    concern: str = DEFAULT_CONCERN
    urgent: str = DEFAULT_URGENT

    def for_tier(self, tier: Tier) -> str | None:
        """The message for ``tier``; None for `Tier.NONE`."""
        return {Tier.CONCERN: self.concern, Tier.URGENT: self.urgent}.get(tier)


@attrs.frozen
class HelpOffer:
    """What to show a person when a safety flag is raised.

    Attributes:
        tier: The tier it answers.
        message: A short, calm message.
        resources: Crisis resources for the person's country, then
            international ones.
        emergency_advice: When and how to call emergency services.
    """

    tier: Tier
    message: str
    resources: tuple[CrisisResource, ...]
    emergency_advice: str


def help_for(
    tier: Tier,
    *,
    country: str | None = None,
    resources: CrisisResources | None = None,
    messages: SafetyMessages | None = None,
) -> HelpOffer | None:
    """Return what to show for ``tier``, or None when there is nothing to show.

    Examples:
        >>> from rejection_toolkit import Tier, help_for
        >>> offer = help_for(Tier.URGENT, country="US")
        >>> offer.resources[0].name
        '988 Suicide & Crisis Lifeline'
        >>> help_for(Tier.NONE) is None
        True
    """
    message = (messages or SafetyMessages()).for_tier(tier)
    if message is None:
        return None
    table = resources or crisis_resources()
    return HelpOffer(tier, message, table.for_country(country), table.emergency_advice)
