"""docs/framework-format.md's v2 section tells the truth: its example validates and imports,
and a v1 file turned into v2 as it says validates and keeps its choices."""

import copy
import re
from pathlib import Path

import pytest
from django.conf import settings

from maturity.framework_file import load_framework_file, validate_framework_data
from maturity.framework_io import import_framework
from maturity.models import Question

DOC = (Path(settings.BASE_DIR) / "docs" / "framework-format.md").read_text(encoding="utf-8")


def v2_example() -> bytes:
    section = DOC[DOC.index("## Format v2") :]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1).encode()


@pytest.mark.django_db
def test_the_v2_example_validates_and_imports():
    data = load_framework_file(v2_example(), source="docs")
    framework = import_framework(data, source="docs")
    assert (framework.version_label, framework.scale_min, framework.scale_max) == ("2.2.0", 0, 3)
    assert framework.scoring["divisor"] == 2
    question = Question.objects.get(framework=framework, code="G-SM-1-A")
    assert question.stream.code == "A"
    assert [float(c.score) for c in question.choices.all()] == [0, 0.25, 0.5, 1]
    own = Question.objects.get(framework=framework, code="G-PC-3-B")
    assert own.answer_set is None
    assert [float(c.score) for c in own.choices.all()] == [0, 0.5, 1]


def test_a_v1_file_becomes_v2_by_its_format_and_value_for_score(framework_data):
    data = copy.deepcopy(framework_data)
    data["format"] = "levelcheck-framework/2"
    for dimension in data["dimensions"]:
        for question in dimension["questions"]:
            for choice in question["choices"]:
                choice["value"] = choice.pop("score")
    assert validate_framework_data(data) == []
