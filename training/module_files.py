"""Reading and checking training module files (docs/training-format.md).

A module is a pair of Markdown files with a YAML header, ``<slug>.ja.md`` and
``<slug>.en.md``. ``load_module_pair`` returns validated data or raises ModuleFileError with
every problem and its path, as framework files do. No database access here: the caller says
which dimension codes a module may serve.
"""

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from maturity.framework_file import FrameworkFileError, Problem, schema_problems, strict_yaml_load

LANGUAGES = ("ja", "en")
MAX_BYTES = 512 * 1024

SCHEMA = {
    "type": "object",
    "required": [
        "title",
        "summary",
        "minutes",
        "order",
        "dimensions",
        "discussion",
        "exercise",
        "quiz",
    ],
    "additionalProperties": False,
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 200},
        "summary": {"type": "string", "minLength": 1},
        "minutes": {"type": "integer", "minimum": 5, "maximum": 180},
        "order": {"type": "integer", "minimum": 0},
        "dimensions": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "levels"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string", "minLength": 1},
                    "levels": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "integer", "minimum": 1, "maximum": 5},
                    },
                },
            },
        },
        "discussion": {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1}},
        "exercise": {"type": "string", "minLength": 1},
        "objectives": {
            "type": "array",
            "minItems": 1,
            "maxItems": 6,
            "items": {"type": "string", "minLength": 1},
        },
        "prework": {"type": "string", "minLength": 1},
        "prework_minutes": {"type": "integer", "minimum": 1, "maximum": 120},
        "model_answer": {"type": "string", "minLength": 1},
        "quiz": {
            "type": "object",
            "required": ["questions"],
            "additionalProperties": False,
            "properties": {
                "pass_mark": {"type": "integer", "minimum": 1, "maximum": 100},
                "questions": {
                    "type": "array",
                    "minItems": 5,
                    "items": {
                        "type": "object",
                        "required": ["text", "choices", "answer", "explanation"],
                        "additionalProperties": False,
                        "properties": {
                            "text": {"type": "string", "minLength": 1},
                            "choices": {
                                "type": "array",
                                "minItems": 3,
                                "maxItems": 5,
                                "items": {"type": "string", "minLength": 1},
                            },
                            "answer": {"type": "integer", "minimum": 0},
                            "explanation": {"type": "string", "minLength": 1},
                        },
                    },
                },
            },
        },
    },
}


class ModuleFileError(FrameworkFileError):
    """A module file (pair) that cannot be imported; ``problems`` says where and why."""


@dataclass
class ModuleText:
    """One language's content of a module."""

    meta: dict
    sections: list[tuple[str, str]]


def parse_module_file(text: str, source: str, *, dimension_codes: Collection[str]) -> ModuleText:
    """Split a file into its YAML header and its ``## `` sections, checking both; every
    dimension it serves must be one of ``dimension_codes``."""
    if not text.startswith("---\n"):
        raise ModuleFileError(source, [Problem("", "the file must start with a '---' header")])
    try:
        header, body = text[4:].split("\n---\n", 1)
    except ValueError:
        raise ModuleFileError(source, [Problem("", "the '---' header is not closed")]) from None
    try:
        meta = strict_yaml_load(header)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 2}" if mark else "(header)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ModuleFileError(source, [Problem(where, f"invalid YAML: {problem}")]) from exc
    problems = schema_problems(SCHEMA, meta)
    if not problems:
        problems += _unknown_dimensions(meta["dimensions"], dimension_codes)
        problems += _prework_problems(meta)
        for i, question in enumerate(meta["quiz"]["questions"]):
            if question["answer"] >= len(question["choices"]):
                problems.append(
                    Problem(
                        f"quiz.questions[{i}].answer",
                        f"{question['answer']} is not the index of a choice "
                        f"(0–{len(question['choices']) - 1})",
                    )
                )
    sections = _sections(body)
    if len(sections) < 2:
        problems.append(Problem("body", "needs at least 2 sections, each starting with '## '"))
    if problems:
        raise ModuleFileError(source, problems)
    return ModuleText(meta=meta, sections=sections)


def _unknown_dimensions(dimensions: list[dict], known: Collection[str]) -> list[Problem]:
    listed = ", ".join(sorted(known))
    return [
        Problem(
            f"dimensions[{i}].code",
            _(
                "'%(code)s' is not a dimension of any framework LevelCheck knows; "
                "use one of: %(codes)s"
            )
            % {"code": dimension["code"], "codes": listed},
        )
        for i, dimension in enumerate(dimensions)
        if dimension["code"] not in known
    ]


def _prework_problems(meta: dict) -> list[Problem]:
    """Pre-work and its minutes come together: the session's ``minutes`` then count the
    session alone, and the page states both, so neither duration hides the other."""
    if ("prework" in meta) == ("prework_minutes" in meta):
        return []
    if "prework" in meta:
        return [Problem("prework_minutes", "missing: say how many minutes the pre-work takes")]
    return [Problem("prework", "missing: prework_minutes needs the pre-work text (Markdown)")]


def _sections(body: str) -> list[tuple[str, str]]:
    sections: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        if line.startswith("## "):
            sections.append((line[3:].strip(), []))
        elif sections:
            sections[-1][1].append(line)
    return [(title, "\n".join(lines).strip()) for title, lines in sections]


def _shape(meta: dict) -> dict:
    """What both languages must share."""
    return {
        "minutes": meta["minutes"],
        "order": meta["order"],
        "dimensions": meta["dimensions"],
        "quiz": [(len(q["choices"]), q["answer"]) for q in meta["quiz"]["questions"]],
        "pass_mark": meta["quiz"].get("pass_mark"),
        "prework_minutes": meta.get("prework_minutes"),
        "objectives": len(meta.get("objectives", [])),
        "model_answer": "model_answer" in meta,
        "sections": None,
    }


def load_module_pair(
    directory: Path, slug: str, *, dimension_codes: Collection[str]
) -> dict[str, ModuleText]:
    """Both language files of one module, validated and checked against each other."""
    texts: dict[str, ModuleText] = {}
    problems: list[Problem] = []
    for lang in LANGUAGES:
        path = directory / f"{slug}.{lang}.md"
        if not path.exists():
            problems.append(Problem("", f"missing {path.name}: every module needs ja and en"))
            continue
        content = path.read_bytes()
        if len(content) > MAX_BYTES:
            problems.append(Problem("", f"{path.name} is larger than {MAX_BYTES:,} bytes"))
            continue
        try:
            texts[lang] = parse_module_file(
                content.decode("utf-8"), str(path), dimension_codes=dimension_codes
            )
        except ModuleFileError as exc:
            raise exc
        except UnicodeDecodeError:
            problems.append(Problem("", f"{path.name} is not UTF-8 text"))
    if problems:
        raise ModuleFileError(str(directory / slug), problems)
    ja, en = _shape(texts["ja"].meta), _shape(texts["en"].meta)
    for key in ja:
        if key == "pass_mark" and (ja[key] is None or en[key] is None):
            continue
        if ja[key] != en[key]:
            path = "quiz.questions" if key == "quiz" else key
            problems.append(
                Problem(path, f"differs between the ja and en files: {ja[key]!r} vs {en[key]!r}")
            )
    if len(texts["ja"].sections) != len(texts["en"].sections):
        problems.append(
            Problem(
                "body",
                f"the ja file has {len(texts['ja'].sections)} sections and the en file "
                f"{len(texts['en'].sections)}; they must match",
            )
        )
    if problems:
        raise ModuleFileError(str(directory / f"{slug}.*.md"), problems)
    return texts


STUDY_TEXTS = ("prework", "model_answer")


def study_fields(texts: dict[str, ModuleText]) -> dict:
    """The study-session fields of a validated pair, as ``training.models.Module`` stores
    them: objectives, pre-work and model answer per language, and the pre-work minutes
    (None without pre-work). Modules written before these fields get empty values."""
    fields: dict = {"prework_minutes": texts["ja"].meta.get("prework_minutes")}
    for lang, text in texts.items():
        fields[f"objectives_{lang}"] = [o.strip() for o in text.meta.get("objectives", [])]
        for name in STUDY_TEXTS:
            fields[f"{name}_{lang}"] = text.meta.get(name, "").strip()
    return fields


def module_slugs(directory: Path) -> list[str]:
    """Slugs of the modules in a directory (any file named <slug>.<lang>.md)."""
    return sorted({p.name.split(".")[0] for p in directory.glob("*.md")})
