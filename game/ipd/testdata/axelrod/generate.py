"""Writes the reference files of this folder with the Python Axelrod library.

Run from a checkout of Axelrod 4.13.0 (commit 95052da1118a) with Debian's
python3 packages: PYTHONPATH=/path/to/Axelrod python3 generate.py
"""
import csv
import math

import axelrod as axl

REFERENCE = [
    "Cooperator", "Defector", "TitForTat", "Grudger", "TitFor2Tats", "TwoTitsForTat",
    "SuspiciousTitForTat", "WinStayLoseShift", "Alternator", "Bully", "Prober", "Adaptive",
    "FirstByTidemanAndChieruzzi", "FirstByNydegger", "FirstByShubik", "FirstBySteinAndRapoport",
    "FirstByDavis", "FirstByDowning",
]
# Deterministic rules beyond the reference list, as parley names them.
EXTRA = {
    "ContriteTitForTat": lambda: axl.ContriteTitForTat(),
    "Gradual": lambda: axl.Gradual(),
    "OriginalGradual": lambda: axl.OriginalGradual(),
    "GoByMajority": lambda: axl.GoByMajority(),
    "HardGoByMajority": lambda: axl.HardGoByMajority(),
    "GoByMajority(5)": lambda: axl.GoByMajority(memory_depth=5),
    "HardGoByMajority(10)": lambda: axl.HardGoByMajority(memory_depth=10),
    "Handshake": lambda: axl.Handshake(),
    "Cycler(CCD)": lambda: axl.Cycler("CCD"),
    "Cycler(DDCDC)": lambda: axl.Cycler("DDCDC"),
    "AntiTitForTat": lambda: axl.AntiTitForTat(),
    "HardTitForTat": lambda: axl.HardTitForTat(),
    "HardTitFor2Tats": lambda: axl.HardTitFor2Tats(),
    "SneakyTitForTat": lambda: axl.SneakyTitForTat(),
    "ForgetfulGrudger": lambda: axl.ForgetfulGrudger(),
    "WinShiftLoseStay": lambda: axl.WinShiftLoseStay(),
}


def make(name):
    if name in EXTRA:
        return EXTRA[name]()
    return getattr(axl, name)()


def actions(plays, k):
    return "".join(str(p[k]) for p in plays)


def matches(path, names, turns, known):
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["turns", "length_known", "player1", "player2", "player1_score", "player2_score",
                    "player1_actions", "player2_actions"])
        for a in names:
            for b in names:
                attrs = None
                if not known:
                    attrs = {"length": math.inf, "game": axl.Game(), "noise": 0}
                m = axl.Match((make(a), make(b)), turns=turns, match_attributes=attrs)
                plays = m.play()
                s = m.final_score()
                w.writerow([turns, int(known), a, b, s[0], s[1], actions(plays, 0), actions(plays, 1)])


def tournament(path, names, turns):
    players = [make(n) for n in names]
    t = axl.Tournament(players, turns=turns, repetitions=1)
    rs = t.play(processes=1, progress_bar=False)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["rank", "player", "median_score", "wins", "cooperation_rating", "self_score"])
        for rank, i in enumerate(rs.ranking):
            w.writerow([rank + 1, names[i], repr(float(rs.normalised_scores[i][0])), rs.wins[i][0],
                        repr(float(rs.cooperating_rating[i])), rs.payoff_matrix[i][i]])


if __name__ == "__main__":
    everyone = REFERENCE + list(EXTRA)
    matches("matches-200-turns.csv", everyone, 200, True)
    matches("matches-200-turns-unknown-length.csv", REFERENCE, 200, False)
    tournament("tournament-200-turns.csv", REFERENCE, 200)
