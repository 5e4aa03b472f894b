"""What the synthesizers say: positives in context, phonetically close confusers, and general speech."""
from __future__ import annotations

import re

CONFUSERS = {
    "computer": ["commuter", "compute", "computed", "competer", "Jupiter", "come pewter", "pewter", "peter",
                 "computing", "commute", "computation", "scooter", "tutor", "cute", "puter", "come here", "comfort",
                 "competitor", "compost", "composer", "commuters", "complete", "computers are", "come to her",
                 "can't you", "pupil", "commuter train", "compiler", "comparison", "companion"],
    "activate": ["activity", "active", "captivate", "cultivate", "motivate", "activist", "actually", "acted",
                 "activism", "at the gate", "elevate", "aggravate", "accurate", "act of hate", "acrobat",
                 "relative", "captive", "active date", "attitude", "act naive"],
}

GENERAL = """the weather is nice today | what time is it | play some music | turn off the lights | set a timer for ten
minutes | how are you doing | I will call you later | good morning everyone | where did I put my keys | open the door |
tell me a joke | what is the capital of France | remind me to buy milk | the meeting starts at noon | I like coffee |
this is a test | can you hear me | please stop | next song | volume up | hello there | thank you very much | see you
tomorrow | let's go outside | my phone is ringing | the train is late again | dinner is ready | close the window |
we need more paper | is it going to rain | how much does it cost | I am reading a book | the dog is barking |
turn it down | call mom | what's on the calendar | lights on | good night | alexa | hey google | okay | yes | no |
maybe | seven | twelve | hundred | monday | september | television | telephone | keyboard | monitor | printer |
laptop | tablet | internet | software | hardware | community | commander | company | compass | comfortable |
champion | camera | chocolate | banana | elephant | tomato | potato | umbrella | beautiful | important | yesterday |
together | remember | whatever | wonderful | interesting | definitely | probably | character | basketball |
water | butter | letter | matter | better | center | winter | summer | number | paper | pepper | dinner | river |
hamburger | carpenter | calculator | commentary | competition | composition | complicated | confusion |
action | fact | factor | act | activation key | captain | cabbage | attic | arctic | vacation | actor | active duty
""".replace("\n", " ")

SENTENCES = [s.strip() for s in GENERAL.split("|") if s.strip()]

POSITIVE_CONTEXTS = ["{w}", "{w}", "{w}.", "{w}!", "{w}?", "hey {w}", "ok {w}", "hello {w}", "{w},", "oh {w}",
                     "hey, {w}", "yes {w}", "{w}!!"]

_WORD = re.compile(r"^[a-z][a-z' -]{1,38}[a-z]$")


def validate_word(word: str) -> str:
    w = word.strip().lower()
    if not _WORD.match(w):
        raise ValueError(f"wake word {word!r} must be 3-40 characters of English letters, spaces, apostrophes or "
                         "hyphens (a-z), starting and ending with a letter")
    return w


def confusers(word: str) -> list[str]:
    return CONFUSERS.get(word, [word[: max(2, len(word) // 2)], word[len(word) // 2:]])


def negatives_for(word: str) -> list[str]:
    """General speech that must not contain the wake word."""
    return [s for s in SENTENCES if word not in s.lower()]
