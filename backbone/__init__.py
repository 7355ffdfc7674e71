"""Backbone: software for running a Collective Impact initiative."""
