"""README.md promises exactly two commands; CI must run the second one as written."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def two_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, re.S)


def test_readme_has_exactly_two_commands_one_to_start_one_to_test():
    start, test = two_commands()
    assert "\n" not in start and "\n" not in test
    assert "flask --app app demo" in start and start.endswith("flask --app app run")
    assert "'.[test]'" in test and test.endswith("python -m pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert two_commands()[1] in ci.splitlines()
