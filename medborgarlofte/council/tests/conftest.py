from medborgarlofte.actionplans.tests.conftest import DECISION, plan  # noqa: F401  (fixtures)
