"""The re-evaluation reads the installed indicators once per store home and again only when the practice's
choice or an imported pack changed (parsing the packs takes most of a second on every import and sync)."""

from cockpit.indicators.selection import PracticeChoice
from cockpit.store import Store
from cockpit.worklists.installed import installed_indicators


def test_the_packs_are_read_again_only_when_their_files_change(practice: Store) -> None:
    first = installed_indicators(practice, None)
    assert installed_indicators(practice, None)[0] is first[0]  # the same registry: not parsed again
    home = practice.paths.home
    choice = PracticeChoice.load(home)
    indicator = first[0].indicator("DM-HBA1C-12M")
    choice.indicators[indicator.id] = False  # the practice switches it off
    choice.save(home)
    again = installed_indicators(practice, None)
    assert again[0] is not first[0]
    assert not again[1].is_active(indicator)  # the changed choice is the one used
    assert installed_indicators(practice, None)[0] is again[0]
