"""Imported by the worker forkserver (:data:`.workers.PRELOAD`): warms HTML export once
(:func:`.warm.warm_export`) so that every worker forked from it starts warm."""

from .warm import warm_export

warm_export()
