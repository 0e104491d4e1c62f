"""Interview kits (``<slug>.interview.yaml``): reading, checking and importing them.

A kit gives a consultant, per dimension of a framework, the documents to request, the
interview questions for the manager, a front-line member and a customer, and per level the
observable evidence that proves it. It lives beside the framework file and not in it, so a
framework file and its version stay as they are.

``load_interview_kit`` turns bytes into a validated plain dict or raises ``FrameworkFileError``
with every problem's path inside the file (``dimensions[2].evidence[0].statements[1].en``) and
what was expected, as ``maturity.framework_file`` does for framework files. ``import_interview_kit``
attaches the kit to every version of the framework slug that has the dimension code; importing
the same file again changes nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import translation
from django.utils.translation import get_language

from .framework_file import FrameworkFileError, Problem
from .framework_yaml import YamlRefused, load_yaml
from .models import Dimension, Framework, InterviewGuide, LevelEvidence

FORMAT = "levelcheck-interview-kit/1"
LANGUAGES = ("ja", "en")
AUDIENCES = ("manager", "member", "customer")
# A kit file is a few hundred texts; anything far larger is no kit.
MAX_BYTES = 1_000_000
MAX_ITEMS = 20
MAX_STATEMENTS = 5
MAX_TEXT = 1000
_DIMENSION_KEYS = {"code", "documents", "questions", "evidence"}
_TOP_KEYS = {"format", "framework", "dimensions"}


def _texts(value, path: str, problems: list[Problem], *, required: bool) -> list[dict]:
    """A list of ``{ja, en}`` texts at ``path``; problems are added, never raised."""
    if value is None and not required:
        return []
    if not isinstance(value, list) or (required and not value):
        problems.append(Problem(path, "expected a non-empty list of {ja, en} texts"))
        return []
    if len(value) > MAX_ITEMS:
        problems.append(Problem(path, f"expected at most {MAX_ITEMS} items, found {len(value)}"))
        return []
    texts = []
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(item_path, "expected a mapping with ja and en texts"))
            continue
        for extra in sorted(set(item) - set(LANGUAGES), key=str):
            problems.append(Problem(f"{item_path}.{extra}", "unknown language; expected ja or en"))
        for language in LANGUAGES:
            text = item.get(language)
            if not isinstance(text, str) or not text.strip():
                problems.append(Problem(f"{item_path}.{language}", "expected a non-empty text"))
            elif len(text) > MAX_TEXT:
                problems.append(
                    Problem(f"{item_path}.{language}", f"expected at most {MAX_TEXT} characters")
                )
        texts.append({language: str(item.get(language, "")).strip() for language in LANGUAGES})
    return texts


def _evidence(value, path: str, problems: list[Problem]) -> dict[int, list[dict]]:
    if not isinstance(value, list) or not value:
        problems.append(Problem(path, "expected a non-empty list of {level, statements}"))
        return {}
    levels: dict[int, list[dict]] = {}
    for index, item in enumerate(value):
        item_path = f"{path}[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(item_path, "expected a mapping with level and statements"))
            continue
        for extra in sorted(set(item) - {"level", "statements"}, key=str):
            problems.append(Problem(f"{item_path}.{extra}", "unknown field"))
        level = item.get("level")
        if not isinstance(level, int) or isinstance(level, bool):
            problems.append(Problem(f"{item_path}.level", "expected a whole number"))
            continue
        if level in levels:
            problems.append(Problem(f"{item_path}.level", f"level {level} is listed twice"))
            continue
        statements = _texts(
            item.get("statements"), f"{item_path}.statements", problems, required=True
        )
        if len(statements) > MAX_STATEMENTS:
            problems.append(
                Problem(f"{item_path}.statements", f"expected at most {MAX_STATEMENTS} statements")
            )
        levels[level] = statements
    return levels


def load_interview_kit(content: bytes, source: str = "<kit>") -> dict:
    """The kit in ``content`` as ``{"framework": slug, "dimensions": [{"code", "documents",
    "questions": {audience: texts}, "evidence": {level: texts}}]}``; raises
    ``FrameworkFileError`` listing every problem with its path. Touches no database."""
    if len(content) > MAX_BYTES:
        raise FrameworkFileError(source, [Problem("", f"larger than {MAX_BYTES} bytes")])
    try:
        data = load_yaml(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise FrameworkFileError(source, [Problem("", "expected UTF-8 text")]) from None
    except YamlRefused as exc:
        path = ".".join(str(p) for p in exc.path)
        raise FrameworkFileError(source, [Problem(path, exc.message)]) from None
    except Exception as exc:  # yaml.YAMLError and friends: the message has the line
        raise FrameworkFileError(source, [Problem("", f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise FrameworkFileError(source, [Problem("", "expected a mapping at the top")])
    problems: list[Problem] = []
    for extra in sorted(set(data) - _TOP_KEYS, key=str):
        problems.append(Problem(str(extra), "unknown field"))
    if data.get("format") != FORMAT:
        problems.append(Problem("format", f"expected {FORMAT!r}"))
    slug = data.get("framework")
    if not isinstance(slug, str) or not slug:
        problems.append(Problem("framework", "expected the framework's slug"))
    dimensions = data.get("dimensions")
    kit = {"framework": slug, "dimensions": []}
    if not isinstance(dimensions, list) or not dimensions:
        problems.append(Problem("dimensions", "expected a non-empty list of dimensions"))
        dimensions = []
    seen: set[str] = set()
    for index, item in enumerate(dimensions):
        path = f"dimensions[{index}]"
        if not isinstance(item, dict):
            problems.append(Problem(path, "expected a mapping"))
            continue
        for extra in sorted(set(item) - _DIMENSION_KEYS, key=str):
            problems.append(Problem(f"{path}.{extra}", "unknown field"))
        code = item.get("code")
        if not isinstance(code, str) or not code:
            problems.append(Problem(f"{path}.code", "expected a dimension code"))
        elif code in seen:
            problems.append(Problem(f"{path}.code", f"dimension {code!r} is listed twice"))
        else:
            seen.add(code)
        questions = item.get("questions")
        if not isinstance(questions, dict):
            problems.append(Problem(f"{path}.questions", "expected a mapping with manager"))
            questions = {}
        for extra in sorted(set(questions) - set(AUDIENCES), key=str):
            problems.append(
                Problem(
                    f"{path}.questions.{extra}",
                    "unknown audience; expected one of " + ", ".join(AUDIENCES),
                )
            )
        kit["dimensions"].append(
            {
                "code": code,
                "documents": _texts(
                    item.get("documents"), f"{path}.documents", problems, required=True
                ),
                "questions": {
                    audience: _texts(
                        questions.get(audience),
                        f"{path}.questions.{audience}",
                        problems,
                        required=audience == "manager",
                    )
                    for audience in AUDIENCES
                },
                "evidence": _evidence(item.get("evidence"), f"{path}.evidence", problems),
            }
        )
    if problems:
        raise FrameworkFileError(source, problems)
    return kit


def _check_against(kit: dict, versions: list[Framework], source: str) -> None:
    """Every dimension code is in some version of the slug, every level on its scale."""
    problems: list[Problem] = []
    if not versions:
        problems.append(
            Problem("framework", f"no framework {kit['framework']!r} is imported; import it first")
        )
        raise FrameworkFileError(source, problems)
    codes = set(Dimension.objects.filter(framework__in=versions).values_list("code", flat=True))
    low = min(v.scale_min for v in versions)
    high = max(v.scale_max for v in versions)
    for index, dimension in enumerate(kit["dimensions"]):
        if dimension["code"] not in codes:
            problems.append(
                Problem(
                    f"dimensions[{index}].code",
                    f"no version of {kit['framework']!r} has a dimension {dimension['code']!r}",
                )
            )
        for position, level in enumerate(dimension["evidence"]):
            if not low <= level <= high:
                problems.append(
                    Problem(
                        f"dimensions[{index}].evidence[{position}].level",
                        f"expected a level from {low} to {high}, found {level}",
                    )
                )
    if problems:
        raise FrameworkFileError(source, problems)


@transaction.atomic
def import_interview_kit(*, content: bytes, source: str = "<kit>") -> dict:
    """Attach the kit in ``content`` to every version of its framework that has each
    dimension code, replacing what an earlier import attached; all or nothing. Returns
    ``{"framework", "versions", "guides", "evidence"}`` (counts written)."""
    kit = load_interview_kit(content, source)
    versions = list(Framework.objects.filter(slug=kit["framework"]))
    _check_against(kit, versions, source)
    by_code = {d["code"]: d for d in kit["dimensions"]}
    guides = evidence = 0
    for dimension in Dimension.objects.filter(framework__in=versions, code__in=by_code):
        entry = by_code[dimension.code]
        guide, _created = InterviewGuide.objects.update_or_create(
            dimension=dimension,
            defaults={
                "documents": entry["documents"],
                "manager_questions": entry["questions"]["manager"],
                "member_questions": entry["questions"]["member"],
                "customer_questions": entry["questions"]["customer"],
            },
        )
        guides += 1
        levels = {
            level: statements
            for level, statements in entry["evidence"].items()
            if dimension.framework.scale_min <= level <= dimension.framework.scale_max
        }
        guide.evidence.exclude(level__in=levels).delete()
        for level, statements in levels.items():
            LevelEvidence.objects.update_or_create(
                guide=guide, level=level, defaults={"statements": statements}
            )
            evidence += 1
    return {
        "framework": kit["framework"],
        "versions": len(versions),
        "guides": guides,
        "evidence": evidence,
    }


def localised(texts: list[dict], language: str | None = None) -> list[str]:
    """The texts of a kit list in ``language`` (the active one by default), Japanese where
    a text has no such language."""
    language = (language or get_language() or "ja")[:2]
    return [t.get(language) or t.get("ja", "") for t in texts]


def guide_for(dimension: Dimension, language: str | None = None) -> dict | None:
    """What a consultant sees of ``dimension``'s kit, in ``language``: ``{"documents",
    "questions": [(audience, texts)], "evidence": [(level, level title, texts)]}``, or None
    without a kit. Three queries (the guide, the level titles, the evidence)."""
    guide = InterviewGuide.objects.filter(dimension=dimension).first()
    if guide is None:
        return None
    with translation.override(language or get_language()):
        titles = {level.value: level.title for level in dimension.framework.levels.all()}
    return {
        "documents": localised(guide.documents, language),
        "questions": [
            (audience, localised(getattr(guide, f"{audience}_questions"), language))
            for audience in AUDIENCES
            if getattr(guide, f"{audience}_questions")
        ],
        "evidence": [
            (row.level, titles.get(row.level, ""), localised(row.statements, language))
            for row in guide.evidence.all()
        ],
    }
