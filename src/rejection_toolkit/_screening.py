"""Screening free text for crisis language, with patterns and no copies.

The built-in `PatternScreener` is a careful list of regular expressions over
normalised text. It returns a tier and categories, never the text or a part of
it. It is a safety net, not a judgement: see the Safety page of the docs for
what pattern matching can and cannot do.
"""

from __future__ import annotations

import enum
import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

import attrs

__all__ = [
    "Category",
    "NoScreening",
    "PatternScreener",
    "SafetyRule",
    "Screener",
    "Screening",
    "Tier",
    "combine",
]


class Tier(enum.IntEnum):
    """How urgently a person may need help; tiers are ordered, so ``max`` works."""

    NONE = 0
    """Nothing in what was written points to danger."""
    CONCERN = 1
    """Signs of serious distress: offer support and a way to reach help."""
    URGENT = 2
    """Possible danger now: show crisis resources straight away."""

    @property
    def label(self) -> str:
        """The tier's name in lowercase, as saved in JSON: ``"urgent"``."""
        return self.name.lower()


class Category(enum.StrEnum):
    """What kind of danger a flag points to."""

    SUICIDAL_IDEATION = "suicidal-ideation"
    """Thoughts of dying or of ending one's life, direct or indirect."""
    SELF_HARM = "self-harm"
    """Hurting oneself, or urges to."""
    HARM_TO_OTHERS = "harm-to-others"
    """Intent or urges to hurt someone else."""
    SOMEONE_ELSE_AT_RISK = "someone-else-at-risk"
    """Another person may be in danger of harming themselves."""
    SUBSTANCE_USE = "substance-use"
    """Leaning on alcohol or drugs to cope."""
    LASTING_DISTRESS = "lasting-distress"
    """Pain or low mood that has lasted and not eased."""


def to_categories(categories: Iterable[Category]) -> frozenset[Category]:
    """Return the categories as a frozenset."""
    return frozenset(categories)


@attrs.frozen
class Screening:
    """The result of screening: a tier and categories, never the text.

    Combine results with ``|``: the higher tier wins and categories add up.
    """

    tier: Tier = Tier.NONE
    categories: frozenset[Category] = attrs.field(default=frozenset(), converter=to_categories)

    def __or__(self, other: Screening) -> Screening:
        return Screening(max(self.tier, other.tier), self.categories | other.categories)


_CLEAR = Screening()


@runtime_checkable
class Screener(Protocol):
    """Anything that screens a piece of free text, such as a host's own model.

    Implement ``screen`` and pass the object to `Session.start`, usually
    combined with the built-in screener: ``combine(PatternScreener(), mine)``.
    A screener must not store or log the text it is given.
    """

    def screen(self, text: str) -> Screening:
        """Return the tier and categories for ``text``."""
        ...  # pragma: no cover


@attrs.frozen
class NoScreening:
    """A screener that flags nothing: pass it to turn screening off, explicitly."""

    def screen(self, text: str) -> Screening:
        """Return `Tier.NONE`, always."""
        return _CLEAR


@attrs.frozen
class CombinedScreener:
    """Several screeners at once: the highest tier wins, categories add up."""

    screeners: tuple[Screener, ...]

    def screen(self, text: str) -> Screening:
        """Screen ``text`` with every screener and combine the results."""
        result = Screening()
        for screener in self.screeners:
            result = result | screener.screen(text)
        return result


def combine(*screeners: Screener) -> CombinedScreener:
    """Combine screeners so that any of them can raise the tier.

    Examples:
        >>> from rejection_toolkit import PatternScreener, combine
        >>> both = combine(PatternScreener(), PatternScreener())
        >>> both.screen("I want to end my life").tier.label
        'urgent'
    """
    flat: list[Screener] = []
    for screener in screeners:
        flat.extend(screener.screeners if isinstance(screener, CombinedScreener) else [screener])
    return CombinedScreener(tuple(flat))


# -- normalising -------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
_LEET_RE = re.compile(r"(?<=[a-z])[013457@$!]|[013457@$!](?=[a-z])")
_SEGMENT = re.compile(r"[.!?;\u2026]+(?=\s|$)|[\r\n]{2,}")


def normalise(text: str) -> list[str]:
    """Split ``text`` into lowercase sentences with quotes, apostrophes and spacing evened out.

    Sentences are screened one by one, so adding a sentence never changes how
    the others are read.
    """
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).lower()
    segments = []
    for raw in _SEGMENT.split(text):
        segment = _LEET_RE.sub(lambda m: _LEET[m.group()], raw)
        segment = segment.replace("'", "")
        segment = re.sub(r"[^a-z0-9 ]+", " ", segment)
        segment = re.sub(r"\s+", " ", segment).strip()
        if segment:
            segments.append(segment)
    return segments


# -- patterns ------------------------------------------------------------------------

_ME = r"(?:my ?s[ea]?l[fv]e?|myslef|mysef|meself|my own self)"
_KILL = r"(?:k+i+l+|kil+)"
_WANT = r"(?:want(?:ed|s)?|wanna|wish|need|plan(?:ning)?|decided|ready|tempted|urges?)"
_SOMEONE = (
    r"(?:my (?:friend|best friend|sister|brother|mom|mum|mother|dad|father|son|daughter|partner"
    r"|boyfriend|girlfriend|husband|wife|cousin|roommate|flatmate|colleague|coworker|ex|kid|child)"
    r"|a friend|(?:he|she|they))"
)
_THEMSELVES = r"(?:herself|himself|themselves|themself)"
_SUICIDE = r"(?:suicide|sucide|suicde|suiside|suicid|sewer ?slide)"
_FIGURATIVE_DIE = r"(?! (?:of|from|laughing|for|inside|a little|a bit|when|if))"
_NOT = r"(?<!\bnot )(?<!\bnever )(?<!\bdont )(?<!\bwont )(?<!\bnot to )(?<!\bwouldnt )"
_ACCIDENT = r"(?! (?:on|at|while|when|shaving|cooking|chopping|playing|lifting|running|in the|by accident|accidentally))"
_TARGET = (
    r"(?:him|her|them|you|someone|somebody|people|everyone|(?:that|the|this) (?:guy|girl|man|woman|person)"
    r"|my (?:ex|boss|partner|husband|wife|boyfriend|girlfriend|dad|mom|mum|father|mother|brother|sister"
    r"|manager|coworker|colleague|family))"
)


@attrs.frozen
class _Rule:
    pattern: re.Pattern[str]
    tier: Tier
    category: Category
    unless: re.Pattern[str] | None = None
    """A sentence that also matches this says it will not act, as in "but I won't"."""

    def matches(self, segment: str) -> bool:
        return bool(self.pattern.search(segment)) and not (
            self.unless is not None and self.unless.search(segment)
        )


_LEADING_LOOKBEHINDS = re.compile(r"^(?:\(\?<![^)]*\))*")


def _rule(tier: Tier, category: Category, *patterns: str, unless: str | None = None) -> _Rule:
    r"""Compile a rule; each pattern must start at a word boundary (or the start).

    Every alternative is checked to begin with ``\b`` or ``^`` (after any
    look-behinds), so the whole rule can be anchored with one leading ``\b``:
    the engine then tries the alternatives only where a word starts, which is
    several times faster on ordinary text.
    """
    for pattern in patterns:
        head = _LEADING_LOOKBEHINDS.sub("", pattern)
        if not head.startswith(("\\b", "^")):
            raise ValueError(f"Screening patterns must start at a word boundary: {pattern[:40]}")
    return _Rule(
        re.compile("\\b(?:" + "|".join(f"(?:{p})" for p in patterns) + ")"),
        tier,
        category,
        re.compile(unless) if unless else None,
    )


_WONT = (
    r"\bbut (?:i )?(?:wont|will not|would never|never would|wouldnt|dont|never will"
    r"|am not going to|im not going to|not going to)(?: (?:do it|act on it))?\b"
)


_URGENT, _CONCERN = Tier.URGENT, Tier.CONCERN
_SI, _SH, _HO, _OR = (
    Category.SUICIDAL_IDEATION,
    Category.SELF_HARM,
    Category.HARM_TO_OTHERS,
    Category.SOMEONE_ELSE_AT_RISK,
)


@functools.cache
def rules() -> tuple[_Rule, ...]:
    """The screening rules, compiled on first use (not at import)."""
    return (
        # Someone else may be in danger.
        _rule(
            _URGENT,
            _OR,
            rf"\b{_SOMEONE}\b.{{0,60}}\b(?:{_KILL}|hurt|harm|cut|end)(?:s|ed|ing)? "
            rf"(?:{_THEMSELVES}|(?:her|his|their) (?:own )?life)\b",
            rf"\b{_SOMEONE}\b.{{0,40}}\b(?:is|s|are|seems|sounds|been|feels?) "
            r"(?:really |very |so |kind of |kinda )?suicidal\b",
            rf"\b{_SOMEONE}\b.{{0,40}}\b(?:threatened|talk(?:s|ed|ing)? about|mention(?:ed|s)?|attempted"
            rf"|tried) (?:{_SUICIDE}|to (?:end it|die))\b",
            rf"\b{_SOMEONE}\b.{{0,40}}\b(?:wants|wanted|said (?:she|he|they) wants?) to die\b",
            rf"\b{_SOMEONE} (?:took|swallowed) (?:a (?:lot|bunch) of|all (?:her|his|their)|too many)"
            r" (?:pills|tablets)\b",
        ),
        # Direct statements, plans and methods.
        _rule(
            _URGENT,
            _SI,
            rf"{_NOT}\b(?:{_KILL}|end|unalive)(?:ing|ed|s)? {_ME}\b",
            r"\bkms\b(?<!\d kms)",
            rf"{_NOT}\b(?:end|ending|ended|take|taking) (?:it all|my (?:own )?life)\b",
            rf"{_NOT}\b(?:commit(?:ting)?|attempt(?:ing|ed)?|consider(?:ing|ed)?|contemplat(?:e|ing|ed))"
            rf" {_SUICIDE}\b",
            rf"\b(?:thinking|thought|think|thoughts|dreaming|fantasi[sz]ing) (?:about|of) "
            rf"(?:{_SUICIDE}|{_KILL}ing myself|ending (?:it all|my life))\b",
            rf"\b{_SUICIDE} (?:is|seems|feels like) (?:the|my) (?:only|best|last) (?:way|option|choice)\b",
            r"(?<!\bnot )(?<!\bnever )(?<!\bnot really )\b(?:im|i am|feel(?:ing)?|been|getting|so|really"
            r"|very|bit|pretty|kinda|quite) (?:so |really |very |a bit |pretty |kind of |kinda )?suicidal\b",
            r"\b(?:having|have|had|get|getting|been having|keep having) (?:some |these |those )?"
            r"suicidal (?:thoughts|feelings|urges|ideas)\b",
            r"^suicidal(?: (?:again|today|tonight|lately|right now|now))?$",
            rf"{_NOT}\b{_WANT} (?:to|2) (?:die|be dead|not (?:be )?(?:alive|exist|live))\b{_FIGURATIVE_DIE}",
            rf"{_NOT}\bwanna (?:die|be dead)\b{_FIGURATIVE_DIE}",
            r"\b(?:(?:id|i would) be|im|i am) better off dead\b",
            r"\b(?:i have|ive got|i got|got|made|ive made|i made|have) (?:a|the) plan (?:to|for|how)"
            r" (?:die|do it|end it|end my life|kill myself|take my life|not be here|go)\b",
            r"\bplan (?:for )?(?:how|when) (?:to|i will|ill) (?:do it|die|end it|end my life)\b",
            r"\b(?:i have|ive|ive been|been|i am|im|i) (?:saving|stockpiling|hoarding|collecting|saved"
            r"|stockpiled|hoarded|collected|bought|got) (?:up )?(?:my |some |enough |all (?:my|the) |the |a )?"
            r"(?:pills|tablets|meds|medication|rope|gun|pistol|blades?|razors?)\b"
            r"(?! for (?:my|a|the) (?:headache|migraine|pain|cold|flu|back|period|dog|cat|allergies))",
            r"\b(?:overdose|overdosing|od ing)\b",
            r"\b(?:enough|all (?:my|the)) (?:pills|tablets|meds|sleeping pills) (?:saved|stockpiled|hoarded"
            r"|put aside|to)\b",
            r"\b(?:pills|tablets|meds) (?:saved|stockpiled|hoarded|put aside)(?: up)?\b",
            r"\bhang(?:ing)? myself\b",
            r"\bjump(?:ing)? (?:off|from) (?:a|the) (?:bridge|roof|building|cliff)\b",
            r"\b(?:wrote|written|writing) (?:a|my) (?:suicide |goodbye |last )note\b",
            r"\bsuicide note\b",
            r"\b(?:wont|will not) be (?:here|around|alive) (?:tomorrow|much longer|by (?:tomorrow|morning"
            r"|tonight|next week))\b",
            r"\bby the time (?:you|anyone|someone) (?:read|reads|see|sees|find|finds) this\b",
            r"\bgoodbye (?:cruel )?world\b",
        ),
        # Self-harm.
        _rule(
            _URGENT,
            _SH,
            rf"{_NOT}\b(?:cut|cutting|harm|harming|starve|starving|punish|punishing)(?:ed)? {_ME}\b{_ACCIDENT}",
            rf"{_NOT}\b(?:{_WANT}|feel like|thinking about|thought about|going to|gonna)"
            rf" (?:to )?(?:hurt|harm|cut|burn|punish|hit) {_ME}\b",
            r"(?<!\bnot )(?<!\bnever )\bself ?harm(?:ing|ed)?\b"
            r"(?! (?:awareness|support|charity|prevention|research|policy))",
            r"\b(?:started|start|back to|relapsed|relapse|been|keep|kept) (?:into |to )?(?:cutting|self harming"
            r"|harming myself|burning myself|hurting myself|hitting myself)\b",
            r"\b(?:burn(?:ed|t)?|cut|hurt|hit|scratch(?:ed)?)(?:ing)? myself (?:on purpose|deliberately)\b",
            rf"{_NOT}\b(?:{_WANT}|going to|gonna) (?:to )?cut (?:again|myself|my (?:arms?|wrists?|legs?))\b",
            rf"{_NOT}\b(?:hitting|punching|punched|slapping|slapped|biting) myself\b"
            r"(?! (?:on|at|while|playing|by accident|accidentally))",
            r"\buntil (?:it|i) (?:bled|bleed|bleeds|was bleeding|bruised)\b",
            r"\bcutting (?:again|my (?:arms?|wrists?|legs?|thighs?))\b",
            r"\b(?:cut|slit|slash|slashed|slitting) my (?:wrists?|arms?|thighs?)\b",
        ),
        # Harm to others.
        _rule(
            _URGENT,
            _HO,
            rf"{_NOT}\b(?:{_WANT}|feel like|thinking (?:about|of)|going|gonna|will|ill)"
            rf" (?:to )?(?:kill|murder|stab|shoot|strangle|attack|beat up|poison|run over|hurt|harm)(?:ing)?"
            rf" {_TARGET}\b(?! (?:with|by) (?:kindness|love))",
            r"\b(?:bought|got|have|getting) (?:a )?(?:gun|knife|weapon) (?:for|to use on) (?:him|her|them)\b",
            unless=_WONT,
        ),
        # Indirect and passive signs: a concern.
        _rule(
            _CONCERN,
            _SI,
            r"\b(?:dont|do not|didnt|never) want to wake up\b(?! (?:early|at|before|so|for|this|tomorrow morning))",
            r"\b(?:wish|hope|hoping|wishing|pray|praying) (?:that )?i (?:dont|didnt|wouldnt|would not|never"
            r"|could not|couldnt|wont|will not) (?:ever )?wake up\b",
            r"\bwish i (?:was|were|could be) (?:dead|gone|never born|not here|not alive)\b",
            r"\bwish i (?:had never been|was never|wasnt|hadnt been) born\b",
            r"\b(?:dont|do not) want to (?:be alive|live|exist|be here|go on|keep going)\b",
            r"\bwant to (?:live|be alive|exist|be here|go on) (?:anymore|any more|any longer)\b",
            r"\b(?:no|not any|not a single|see any|find any|any) (?:reason|point) (?:to|in|of) (?:live|living"
            r"|go on|going on|being alive|being here|carrying on|keep going|existing|trying anymore|life)\b",
            r"\bwhats the point (?:of|in) (?:living|life|going on|being alive|being here|anything)\b",
            r"\b(?:life|living|my life) (?:is|isnt|is not|feels|doesnt feel)(?: not)? worth (?:it|living)\b",
            r"\bnot worth living\b",
            r"\b(?:cant|can not|cannot) (?:go on|do this anymore|keep going|take (?:it|this) anymore"
            r"|live like this)\b",
            r"\b(?:im|i am|i feel like|feel like|being|just) (?:a |such a |nothing but a )?burden\b",
            r"\b(?:everyone|everybody|they|people|the world|my family|my friends|he|she|you|it) "
            r"(?:would|d|will|are|is|would all) (?:be )?better off without me\b",
            r"\b(?:better off|happier|easier|better) (?:for (?:everyone|everybody|them|you|all of you|my family"
            r"|my kids) )?(?:without me|if i (?:was|were|wasnt|werent) (?:here|around|alive|gone|dead|born)"
            r"|if i (?:disappeared|died|was not here|wasnt here))\b",
            r"\b(?:letters?|notes?|messages?) (?:to say |saying )?goodbye\b",
            r"\bsay(?:ing)? (?:my )?goodbyes? to (?:my family|everyone|everybody|you all|all of you)\b",
            r"\b(?:know|knew|decided|figured out|worked out|planned) (?:exactly )?(?:how|when|where)"
            r" (?:id|i would|i will|ill|i could|to) do it\b",
            r"\b(?:want|wanna|wish i could) (?:to )?(?:just )?(?:disappear|vanish) (?:forever|for good"
            r"|completely|and never)\b",
            r"\b(?:sleep|go to sleep|fall asleep|asleep) (?:and )?(?:never|not) (?:ever )?wake up\b",
            r"\b(?:want|wanna|wish i could) (?:to )?(?:go to )?sleep forever\b",
            r"\b(?:giving|gave|give|given) away (?:all )?my (?:things|stuff|belongings|possessions|pets?|cat"
            r"|dog)\b(?! to charity)",
            r"\b(?:giving|gave|give|given) (?:all )?my (?:things|stuff|belongings|possessions|pets?|cat|dog)"
            r" away\b",
            r"\bwho (?:should|will|can|would) (?:have|take|get) my (?:things|stuff|cat|dog|pets?)\b",
            r"\b(?:i|ive|im|been) (?:thought|thinking|been thinking) about (?:dying|death|not being here"
            r"|not existing|ending it)\b",
            rf"{_NOT}\b(?:hurt|hit) myself\b{_ACCIDENT}",
            r"\b(?:end|ending) it\b(?= (?:tonight|today|now|soon|forever|for good)|$)",
            r"\bunalive\b",
            r"\b(?:no one|nobody) (?:will|would) (?:even )?(?:miss|notice) (?:me|if i (?:was|were|am) gone)\b",
            r"\b(?:this is|consider this) (?:my )?(?:goodbye|farewell|last message)\b",
            r"\bgoodbye (?:everyone|everybody|forever|for good)\b",
            r"\byou (?:wont|will never|will not) (?:have to )?(?:see|hear from|deal with) me (?:again|anymore)\b",
            rf"{_NOT}\b(?:going|gonna|about) (?:to|2) die\b{_FIGURATIVE_DIE}(?! (?:alone|old|happy|one day))",
        ),
        _rule(
            _CONCERN,
            _HO,
            rf"\b(?:imagining|imagine|picturing|picture|fantasi[sz]ing about|dreaming (?:about|of)|dream of)"
            rf" (?:hurting|killing|stabbing|shooting|strangling|attacking|beating up) {_TARGET}\b",
            r"\b(?:make|making) (?:him|her|them) (?:pay|suffer)\b",
            r"\b(?:want|wanna) (?:revenge|to get (?:back at|even with)) (?:on )?(?:him|her|them)\b",
            r"\bcould (?:kill|murder|strangle) (?:him|her|them)\b(?! for)",
        ),
    )


@attrs.frozen
class PatternScreener:
    """The built-in screener: regular expressions over normalised sentences.

    It catches direct statements and common indirect signs, misspellings
    and slang, and leaves common figures of speech ("this job is killing me")
    alone. Each sentence is read on its own, case, spacing and quote style do
    not matter, and a sentence that matches keeps matching whatever is added
    around it.

    Examples:
        >>> from rejection_toolkit import PatternScreener
        >>> PatternScreener().screen("I feel like a burden to everyone").tier.label
        'concern'
        >>> PatternScreener().screen("This job is killing me").tier.label
        'none'
    """

    def screen(self, text: str) -> Screening:
        """Return the highest tier and every category found in ``text``."""
        result = Screening()
        for segment in normalise(text):
            for rule in rules():
                news = rule.tier > result.tier or rule.category not in result.categories
                if news and rule.matches(segment):
                    result = result | Screening(rule.tier, {rule.category})
        return result


def _to_tier(tier: Tier | str | int) -> Tier:
    if isinstance(tier, str):
        try:
            return Tier[tier.upper()]
        except KeyError:
            raise ValueError(
                f"{tier!r} is not a tier; use 'none', 'concern' or 'urgent'."
            ) from None
    return Tier(tier)


@attrs.frozen
class SafetyRule:
    """Raise a safety flag when a prompt is given a particular answer.

    Use it on choice, yes/no and scale prompts whose answers point to danger,
    as the catalog's when-to-get-help check does. Free text is screened by
    the session's screener instead.

    Attributes:
        value: The answer that raises the flag: an option value (for multiple
            choice, an option that is included), a bool, or a scale value.
        tier: The tier to raise.
        category: What the flag is about.
    """

    value: str | int | bool
    tier: Tier = attrs.field(converter=_to_tier)
    category: Category = attrs.field(converter=Category)

    def matches(self, value: object) -> bool:
        """Whether the parsed answer ``value`` raises this flag."""
        chosen = getattr(value, "values", None)
        if chosen is not None:
            return self.value in chosen
        return type(value) is type(self.value) and value == self.value

    def to_dict(self) -> dict[str, object]:
        """Return the rule as plain data."""
        return {"value": self.value, "tier": self.tier.label, "category": str(self.category)}
