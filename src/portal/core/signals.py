"""Signals core sends so that the apps above it can act without core importing them."""

from django.dispatch import Signal

# A member chose a language with the English switch: member=, language=, request=.
language_chosen = Signal()
