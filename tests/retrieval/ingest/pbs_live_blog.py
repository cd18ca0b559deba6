"""Sentences of the PBS seed, a live blog whose "Updated …" headers re-date what follows them,
and the day each sentence's relative dates resolve against."""

from datetime import date

PBS_SENTENCES = [
    "World Mar 7, 2014 1:28 PM EDT Updated March 7 at 1:30 p.m. EST | In a call with Secretary "
    "of State John Kerry Friday, Russian foreign minister Sergei Lavrov warned the United States "
    "against “hasty and reckless steps” that would damage relations.",
    "—————— Video by Associated Press Updated March 6 at 5:00 p.m. EST | The talks ended.",
    "Updated March 6 at 10:15 a.m. | U.S. Secretary of State John Kerry met with Russian Foreign "
    "Minister Sergey Lavrov on Thursday in a continued effort to diffuse tensions in Ukraine.",
    "Following an initial meeting in Paris on Wednesday, the two consulted in Rome.",
    "Updated March 5 at 4:00 p.m. EST | In a news conference held Wednesday, Kerry said that the "
    "U.S. will not allow Russia’s violation of Ukraine’s sovereignty to go “unanswered.”",
    "Kerry is expected to meet with Lavrov again in Rome on Thursday.",
    "Russian President Vladimir Putin said Tuesday that the unmarked troops are “local "
    "self-defense forces”.",
]
PBS_ANCHORS = [
    date(2014, 3, 7),
    date(2014, 3, 6),
    date(2014, 3, 6),
    date(2014, 3, 6),
    date(2014, 3, 5),
    date(2014, 3, 5),
]
PBS_ANCHORS.append(date(2014, 3, 5))
