"""Event dates: the sentence's own date expression resolved against the article date."""

import re
from datetime import date, datetime, time
from functools import lru_cache

from dateparser.date import DateDataParser
from spacy.tokens import Span, Token

# dateparser periods mapped onto geokg's precisions; a week is reported as its day.
_PRECISION = {"time": "day", "day": "day", "week": "day", "month": "month", "year": "year"}
_VAGUE = re.compile(r"\b(decades?|centur(y|ies)|\d*0s|recent|past|years?-old)\b")
_SOFTENERS = re.compile(r"^(earlier|later|late|early|mid|since|until|by|on|in|at|during)\s+")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=512)
def _parser_for(base: date) -> DateDataParser:
    return DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "past",
            "PREFER_DAY_OF_MONTH": "first",
            "RELATIVE_BASE": datetime.combine(base, time(12)),
        },
    )


class DateResolver:
    """Resolve expressions such as "on Wednesday", "March 26", "in January", "last year"."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, date], tuple[date, str] | None] = {}

    def resolve(self, expression: str, base: date) -> tuple[date, str] | None:
        """The date and precision of `expression` read on `base`, or None if it names none."""
        key = (expression.casefold(), base)
        if key not in self._cache:
            self._cache[key] = self._parse(expression, base)
        return self._cache[key]

    def _parse(self, expression: str, base: date) -> tuple[date, str] | None:
        lowered = expression.strip().casefold()
        if not any(ch.isalnum() for ch in lowered) or _VAGUE.search(lowered):
            return None
        lowered = _SOFTENERS.sub("", lowered.removeprefix("the "))
        first_word = lowered.split(" ", 1)[0]
        if first_word in _WEEKDAYS and _WEEKDAYS.index(first_word) == base.weekday():
            return base, "day"  # "on Friday" in Friday's paper is that day
        try:
            data = _parser_for(base).get_date_data(lowered)
        except (ValueError, OverflowError):
            return None
        if data is None or data.date_obj is None:
            return None
        precision = _PRECISION.get(data.period or "day", "day")
        resolved = data.date_obj.date()
        if precision == "month":
            resolved = resolved.replace(day=1)
        elif precision == "year":
            resolved = resolved.replace(month=1, day=1)
        return resolved, precision

    def event_date(self, trigger: Token, sentence: Span, base: date) -> tuple[date, str, bool]:
        """The date of the act at `trigger`: (date, precision, whether the sentence gave it).

        Prefers a DATE entity inside the trigger's clause, then any in the sentence.
        """
        entities = [ent for ent in sentence.ents if ent.label_ == "DATE"]
        clause = {token.i for token in _clause_head(trigger).subtree}
        entities.sort(key=lambda ent: (ent.root.i not in clause, abs(ent.root.i - trigger.i)))
        for ent in entities:
            found = self.resolve(ent.text, base)
            if found is not None:
                return found[0], found[1], True
        return base, "day", False


def _clause_head(token: Token) -> Token:
    current = token
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current
