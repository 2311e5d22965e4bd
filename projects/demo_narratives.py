"""Names, sizes and monthly narratives of the demo county's projects, from `demo_catalogue`.

`Namer` keeps names unique across the registry; `progress_text` words a month under
construction by how much of the investment is done, `prephase_text` a month before the start
by the paperwork step reached, `problem_text` what holds a lagging project up.
"""

import random
from bisect import bisect_right

from . import demo_catalogue as cat

THRESHOLDS = {profile: [share for share, _text in steps] for profile, steps in cat.PROGRESS.items()}
READY_STEP = len(cat.PREPHASE_STEPS) - 1


def project_size(rng: random.Random) -> dict:
    """The numbers a project's name, content and narratives quote (kept consistent per project)."""
    return {
        "km": rng.choice([3.6, 5.2, 8.5, 12.4, 18.7, 26.3]),
        "width": rng.choice([6.5, 8.5, 12, 24, 32]),
        "m": rng.randint(8, 40) * 10,
        "span": rng.randint(3, 12),
        "floors": rng.choice([4, 5, 6, 9, 12, 16]),
        "cap": rng.choice([50, 100, 200, 500, 1000, 5000, 20000]),
        "villages": rng.randint(4, 30),
        "mu": rng.randint(5, 60) * 500,
        "blocks": rng.randint(3, 16),
        "homes": rng.randint(10, 80) * 10,
        "equip": rng.randint(20, 300),
        "mw": rng.choice([20, 50, 100, 200]),
        "mva": rng.choice([50, 63, 100]),
        "seats": rng.randint(6, 30) * 100,
        "beds": rng.randint(10, 60) * 10,
        "count": rng.randint(6, 40),
    }


class Namer:
    """Project names unique across the registry: a unit's kinds of work over places and firms,
    then a phase (二期…), then a section number when the places run out."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()
        self.sections: dict[str, int] = {}

    def name(self, kind: cat.WorkKind, unit_name: str, size: dict) -> tuple[str, dict]:
        rng = self.rng
        own = unit_name.split("（")[0]
        own_town = own[:-1] if own.endswith(("镇", "乡")) else None
        for _attempt in range(6):
            town, town2 = own_town or rng.choice(cat.TOWNS), rng.choice(cat.TOWNS)
            if town2 == town:
                town2 = cat.TOWNS[(cat.TOWNS.index(town) + 1) % len(cat.TOWNS)]
            village, village2 = rng.sample(cat.VILLAGES, 2)
            slots = {
                "town": town,
                "town2": town2,
                "township": town + ("乡" if town in cat.XIANG else "镇"),
                "village": village,
                "village2": village2,
                "river": rng.choice(cat.RIVERS),
                "road": rng.choice(cat.ROADS),
                "firm": rng.choice(cat.FIRMS),
                "nth": cat.CHINESE_DIGITS[rng.randrange(2, 6)],
                "t": rng.choice([5, 10, 20, 30, 50]),
                "heads": rng.choice([500, 1000, 2000, 3000, 5000]),
                "mw": size["mw"],
                "unit": own.removesuffix("管委会"),
            }
            base = rng.choice(kind.local_names if own_town else kind.names).format(**slots)
            if base not in self.used:
                self.used.add(base)
                return base, slots
        for qualified in (f"{base}{phase}" for phase in cat.PHASES):
            if qualified not in self.used:
                self.used.add(qualified)
                return qualified, slots
        section = self.sections.get(base, 1) + 1
        while f"{base}（第{section}标段）" in self.used:
            section += 1
        self.sections[base] = section
        self.used.add(f"{base}（第{section}标段）")
        return f"{base}（第{section}标段）", slots


def progress_text(profile: str, frac: float, size: dict) -> str:
    """The month's 形象进度 for a project under construction with `frac` of its investment done."""
    text = cat.PROGRESS[profile][bisect_right(THRESHOLDS[profile], frac) - 1][1]
    return text.format(
        p=min(98, max(5, round(frac * 100))),
        floor=max(2, min(size["floors"], round(size["floors"] * (frac - 0.12) / 0.33) + 1)),
        km_done=max(0.5, round(size["km"] * frac, 1)),
        n=max(1, round(size["count"] * frac)),
        blocks_done=max(1, round(size["blocks"] * frac)),
        mw_done=max(1, round(size["mw"] * frac)),
        mu_done=max(100, round(size["mu"] * frac / 100) * 100),
    )


def prephase_text(step: int) -> str:
    """The 形象进度 of a month before the start: the pre-phase step (前期手续) reached by then."""
    return cat.PREPHASE_STEPS[max(0, min(step, len(cat.PREPHASE_STEPS) - 1))]


def problem_text(profile: str, rng: random.Random) -> tuple[str, str]:
    """A problem holding up a project of this profile (存在问题): its bottleneck category and wording."""
    category, text = rng.choice(cat.PROBLEMS[profile])
    numbers = {"n": rng.randint(1, 9), "houses": rng.randint(3, 40), "money": rng.randint(3, 60) * 100}
    return category, text.format(n2=numbers["n"] + rng.randint(1, 5), mu=rng.randint(2, 40) * 10, **numbers)
