"""Deprecated spelling of :mod:`cachelint.policy`'s vocabulary; import from there."""

from __future__ import annotations

from cachelint.policy import DICT_METHODS, HARMLESS_CALLS, LOG_METHODS, VALIDATOR_METHODS

__all__ = ["DICT_METHODS", "HARMLESS_CALLS", "LOG_METHODS", "VALIDATOR_METHODS"]
