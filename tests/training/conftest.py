import copy

import pytest
import yaml

from training.services import import_modules

META = {
    "title": "LTVの基本",
    "summary": "LTVを2つの式で計算します。",
    "minutes": 20,
    "order": 1,
    "dimensions": [{"code": "kpi", "levels": [1, 2]}, {"code": "data", "levels": [1]}],
    "discussion": ["自社のLTVはいくらですか。", "解約率はどう測っていますか。"],
    "exercise": "月額 **3,000円**、粗利率70%、解約率2%のLTVを計算しましょう。",
    "quiz": {
        "pass_mark": 80,
        "questions": [
            {
                "text": f"質問{i}",
                "choices": ["正解", "誤り1", "誤り2", "誤り3"],
                "answer": 0,
                "explanation": f"解説{i}",
            }
            for i in range(5)
        ],
    },
}
BODY = "\n## はじめに\nLTVは顧客生涯価値です。\n\n## 計算式\n| 式 | 例 |\n|---|---|\n| A | 1 |\n"


def english(meta: dict) -> dict:
    meta = copy.deepcopy(meta)
    meta["title"], meta["summary"] = "LTV basics", "Work out LTV two ways."
    meta["discussion"] = ["What is your LTV?", "How do you measure churn?"]
    meta["exercise"] = "Work out the LTV of 3,000 a month at 70% margin and 2% churn."
    for i, q in enumerate(meta["quiz"]["questions"]):
        q["text"], q["explanation"] = f"Question {i}", f"Because {i}"
        q["choices"] = ["Right", "Wrong 1", "Wrong 2", "Wrong 3"]
    return meta


def write_module(directory, slug="ltv-basics", ja=None, en=None, ja_body=BODY, en_body=None):
    ja = copy.deepcopy(META) if ja is None else ja
    en = english(ja) if en is None else en
    en_body = en_body or "\n## Introduction\nLTV is lifetime value.\n\n## Formulas\nText.\n"
    for lang, meta, body in (("ja", ja, ja_body), ("en", en, en_body)):
        if meta is False:
            continue
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n" + body
        (directory / f"{slug}.{lang}.md").write_text(text, encoding="utf-8")
    return directory


@pytest.fixture
def module(db, tmp_path):
    write_module(tmp_path)
    import_modules(directory=tmp_path)
    from training.models import Module

    return Module.objects.get(slug="ltv-basics")
