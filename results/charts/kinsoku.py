"""Japanese line-breaking rules (kinsoku shori): one table for every text LevelCheck wraps.

The chart labels (``results.charts.fonts.wrap``) and the PDF paragraphs
(``reports.flowables``) both break lines by these rules, so a label and the same words in a
report paragraph never start a line with "。" in one place and refuse to in the other.
"""

# Characters a line may not start with (行頭禁則): closing brackets, punctuation, middle dots,
# prolonged sound mark, iteration marks, small kana, postfix units.
NO_LINE_START = frozenset(
    ")]}）〕］｝〉》」』】〙〗〟’”｠»、。，．,.:;：；!?！？‼⁇⁈⁉・ー‐゠–〜～ヽヾゝゞ々〻"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ％‰℃°′″"
)
# Characters a line may not end with (行末禁則): opening brackets and prefix signs.
NO_LINE_END = frozenset("([{（〔［｛〈《「『【〘〖〝‘“｟«￥＄￡＃")
# Characters that stay together when doubled (分離禁止): ……, ――.
INSEPARABLE = frozenset("—―…‥")


def may_break(before: str, after: str) -> bool:
    """May a line end after the character ``before`` when ``after`` follows it?"""
    if after in NO_LINE_START or before in NO_LINE_END:
        return False
    return not (before == after and before in INSEPARABLE)
