"""The documentation keeps up with the code: every setting and every command is described."""

import re
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DOCS_DIR = PACKAGE_DIR.parent / "docs"

# env_str("NAME", ...), env_bool("NAME"), os.environ.get("NAME"), os.environ["NAME"], os.getenv("NAME")
_ENV_READ = re.compile(
    r"""(?:\benv_(?:str|bool|int|list)\(|os\.environ\.get\(|os\.environ\[|os\.getenv\(|"""
    r"""os\.environ\.setdefault\()\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def environment_variables() -> list[str]:
    return sorted(set(_ENV_READ.findall((PACKAGE_DIR / "settings.py").read_text("utf-8"))))


def management_commands() -> list[str]:
    return sorted(
        path.stem
        for path in PACKAGE_DIR.glob("*/management/commands/*.py")
        if not path.stem.startswith("_")
    )


def test_settings_read_the_environment_variables_we_expect_to_find():
    # Guards the pattern above: if it stopped matching, the next test would pass vacuously.
    assert {"SECRET_KEY", "DATABASE_URL", "MEDBORGARLOFTE_DEBUG"} <= set(environment_variables())


@pytest.mark.parametrize("name", environment_variables())
def test_every_environment_variable_is_documented_in_deploy_md(name):
    text = (DOCS_DIR / "deploy.md").read_text("utf-8")
    assert re.search(rf"`{name}`", text), f"docs/deploy.md does not mention `{name}`"


@pytest.mark.parametrize("command", management_commands())
def test_every_management_command_is_documented_in_cli_md(command):
    text = (DOCS_DIR / "cli.md").read_text("utf-8")
    heading = re.compile(rf"^#+ .*\bmedborgarlofte {command}\b", re.MULTILINE)
    code_span = re.compile(rf"`medborgarlofte {command}(?:[ `])")
    assert heading.search(text) or code_span.search(text), (
        f"docs/cli.md has no heading or code span with `medborgarlofte {command}`"
    )


def test_cli_md_exists_even_before_the_first_command():
    assert (DOCS_DIR / "cli.md").is_file()


def test_cli_md_help_texts_are_what_the_commands_print():
    """docs/cli.md is generated from each command's --help (scripts/cli_docs.py)."""
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, str(repo / "scripts" / "cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
