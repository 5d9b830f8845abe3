"""Inline mypy expectations (django-stubs style) and a batched runner for them.

A case line ends with ``# E: message  [code]`` (an error) or ``# N: message``
(a note); several may follow each other on one line.  A message ending in
``...`` matches any message that starts with the text before it.  Every
error and note mypy prints for a case file must be expected, and every
expectation must be printed: mypy's own messages are part of the contract,
because the plugin decides (for CLT101) whether mypy's generic message
appears at all.

Each case folder is one project: a ``pyproject.toml`` with ``[tool.mypy]``
and ``[tool.cachelint]``, checked by one in-process mypy run with a fresh
cache folder, the results then split per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mypy import api

EXPECT = re.compile(r"#\s*(?P<kind>[EN]):\s*(?P<text>.*?)(?=\s*#\s*[EN]:|$)")
OUTPUT = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<severity>error|note): (?P<text>.*)$")


@dataclass(frozen=True, order=True)
class Message:
    line: int
    kind: str  # "E" or "N"
    text: str

    def matches(self, other: Message) -> bool:
        if (self.line, self.kind) != (other.line, other.kind):
            return False
        if self.text.endswith("..."):
            return other.text.startswith(self.text[:-3])
        return self.text == other.text


def expected_messages(path: Path) -> list[Message]:
    found: list[Message] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        _, _, comment = line.partition("#")
        if not comment:
            continue
        for match in EXPECT.finditer("#" + comment):
            found.append(Message(number, match.group("kind"), match.group("text").strip()))
    return sorted(found)


@dataclass(frozen=True)
class RunResult:
    stdout: str
    stderr: str
    status: int
    by_file: dict[Path, list[Message]]


def run_mypy(files: list[Path], config: Path | None, cache_dir: Path, *extra: str) -> RunResult:
    """Run mypy in-process on ``files``; ``by_file`` holds the messages per resolved path."""
    args = ["--cache-dir", str(cache_dir), "--no-error-summary", "--hide-error-context", *extra]
    if config is not None:
        args += ["--config-file", str(config)]
    stdout, stderr, status = api.run([*args, *(str(f) for f in files)])
    by_file: dict[Path, list[Message]] = {}
    for raw in stdout.splitlines():
        match = OUTPUT.match(raw)
        if match is None:
            continue
        kind = "E" if match.group("severity") == "error" else "N"
        path = Path(match.group("path")).resolve()
        by_file.setdefault(path, []).append(Message(int(match.group("line")), kind, match.group("text")))
    return RunResult(stdout, stderr, status, by_file)


def mismatches(expected: list[Message], actual: list[Message]) -> list[str]:
    """Human-readable differences; empty when every message is expected and printed."""
    missing = [e for e in expected if not any(e.matches(a) for a in actual)]
    unexpected = [a for a in actual if not any(e.matches(a) for e in expected)]
    lines = [f"missing    {m.line}: {m.kind}: {m.text}" for m in missing]
    lines += [f"unexpected {m.line}: {m.kind}: {m.text}" for m in unexpected]
    return lines
