"""The lägesbild as a document the parties comment on (accounts/comments.py)."""

from django.urls import reverse

from medborgarlofte.accounts import comments

from . import access
from .models import Lagesbild, Problem


def _anchors(lagesbild) -> list[tuple[str, str, str]]:
    problems = Problem.objects.filter(lagesbild=lagesbild, municipality=lagesbild.municipality)
    return [(comments.Anchor.PROBLEM, str(p.pk), p.title) for p in problems]


def register() -> None:
    comments.register(
        comments.DocumentKind(
            kind="lagesbild",
            model=Lagesbild,
            label=str,
            get_for_user=access.get_lagesbild_for_user,
            url=lambda lagesbild: reverse("lagesbild:document", args=[lagesbild.pk]),
            anchors=_anchors,
        )
    )
