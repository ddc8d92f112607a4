"""A screen whose key bindings are shown in the interface language.

Binding descriptions are class attributes, made when the module is imported, before any
language may be chosen (and the tests switch languages in one process): they are marked for
the catalog with `N_` and translated here, each time the footer or the command palette asks
for them.
"""

from __future__ import annotations

from dataclasses import replace

from textual.binding import ActiveBinding
from textual.screen import Screen

from neuripsquest import i18n
from neuripsquest.i18n import N_, _

# Textual's own binding for the command palette (App.COMMAND_PALETTE_BINDING) is described
# in English by Textual; marked here so the catalog has it and the key bar shows it translated.
PALETTE = N_("palette")


class WordedScreen(Screen):
    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        active = super().active_bindings
        if i18n.is_english():
            return active
        return {
            key: bound._replace(
                binding=replace(bound.binding, description=_(bound.binding.description))
            )
            for key, bound in active.items()
        }
