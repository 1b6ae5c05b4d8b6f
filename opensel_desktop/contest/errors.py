"""The one error type of contest files and interchange formats: every problem has a place."""

from __future__ import annotations

from dataclasses import dataclass

from opensel_desktop.contest.names import printable


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int | None
    column: int | None
    message: str  # one sentence, with how to fix it

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        # a file name or a value quoted from a hostile file must not reach a terminal raw (an ESC sequence,
        # a bidi override, a newline forging a line of output): such characters are shown escaped
        return printable(f"{where}: {self.message}")


class ContestError(Exception):
    """One or more problems in a file the user gave us. Nothing is half-loaded when this is raised."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, path: str, line: int | None, column: int | None, message: str) -> ContestError:
        return cls(Problem(path, line, column, message))
