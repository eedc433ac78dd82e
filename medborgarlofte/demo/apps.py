from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo (`medborgarlofte load_demo`): the top layer, it calls every app's loader
    (docs/decisions/0004-layers.md). No models."""

    name = "medborgarlofte.demo"
    label = "demo"
