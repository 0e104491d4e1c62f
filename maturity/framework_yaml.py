"""Reading a framework file's YAML in bounded time and memory, in one pass.

PyYAML first *composes* a document into nodes and only then *constructs* Python objects from
them. The loader below checks every node while composing, so a file is refused before anything
is built from it when it uses what a framework file never needs and an attacker would:

* anchors and aliases (``&a`` / ``*a``) and merge keys (``<<``): aliases share nodes, so a
  few hundred bytes can stand for billions of items once anything walks the data;
* nesting deeper than ``MAX_DEPTH`` (PyYAML's composer, the schema check and every later walk
  recurse, so a 2 KB file nested 1,000 deep would exhaust Python's stack);
* more than ``MAX_NODES`` values, and numbers longer than ``MAX_NUMBER_CHARS`` characters
  (Python refuses very long integers, and YAML 1.1's base-60 integers ``1:2:3`` cost
  quadratic time in their length);
* explicit tags (``!!int``, ``!!binary``, ``!foo``) and mapping keys that are not plain
  scalars (they cannot be field names); numbers and dates that YAML recognises but Python
  cannot build (``0x_``, ``2026-13-45``) are refused with their path instead of an exception.

Without aliases every node is spelled out in the file, so the work is linear in its size,
which ``FRAMEWORK_FILE_MAX_BYTES`` bounds. Where PyYAML has libyaml, its C parser produces the
events (several times faster); the checks and the construction stay in Python, and a text
libyaml refuses is read again by PyYAML's own parser so that it is refused as before.

A refusal names the path inside the file in the form the validator uses
(``dimensions[0].questions``) and the line and column.
"""

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, ScalarNode, SequenceNode
from yaml.resolver import Resolver

# A framework file nests 8 collections deep at most (the top mapping → dimensions → a
# dimension → questions → a question → choices → a choice → its label).
MAX_DEPTH = 20
# The shipped framework (190 KB) has about 5,700 values, 2 MB of such text about 60,000.
# PyYAML builds some 20,000–30,000 values a second, so this bounds the parse to seconds.
MAX_NODES = 100_000
# Every number in a framework file (version, scale, level, score, weight) is short.
MAX_NUMBER_CHARS = 50

_INT_TAG = "tag:yaml.org,2002:int"
_FLOAT_TAG = "tag:yaml.org,2002:float"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_NO_ALIASES = "anchors (&name) and aliases (*name) are not allowed; write the content out in full"
_BUILT_TAGS = (_INT_TAG, _FLOAT_TAG, "tag:yaml.org,2002:timestamp")


class YamlRefused(yaml.MarkedYAMLError):
    """YAML that uses something these files do not allow; ``path`` is where inside the
    document (a list of keys and positions), ``message`` what was found and expected.

    A YAMLError, so callers that only know PyYAML's errors still report it with its line.
    """

    def __init__(self, path: list, message: str, mark):
        self.path = path
        self.message = message
        super().__init__(problem=message, problem_mark=mark)


def _where(mark) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}"


class _CheckedComposing:
    """The checks made while composing (see the module docstring), for a loader that
    composes in Python whichever parser feeds it the events."""

    def _start_checks(self) -> None:
        self._path: list = []
        self._depth = 0
        self._nodes = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        part = self._part(parent, index)
        path = [*self._path] if part is None else [*self._path, part]
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(
                path,
                f"YAML alias '*{event.anchor}' at {_where(event.start_mark)}: {_NO_ALIASES}",
                event.start_mark,
            )
        if getattr(event, "tag", None) not in (None, "!"):
            raise YamlRefused(
                path,
                f"YAML tag '{event.tag}' at {_where(event.start_mark)}: tags are not "
                "allowed; expected a plain value",
                event.start_mark,
            )
        if event.anchor is not None:
            raise YamlRefused(
                path,
                f"YAML anchor '&{event.anchor}' at {_where(event.start_mark)}: {_NO_ALIASES}",
                event.start_mark,
            )
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise YamlRefused(
                path,
                f"more than {MAX_NODES:,} values (the next at {_where(event.start_mark)}); "
                "expected fewer: split the file",
                event.start_mark,
            )
        is_collection = isinstance(event, yaml.CollectionStartEvent)
        if is_collection:
            if self._depth >= MAX_DEPTH:
                raise YamlRefused(
                    path,
                    f"nested more than {MAX_DEPTH} levels deep (at {_where(event.start_mark)}); "
                    f"expected at most {MAX_DEPTH}",
                    event.start_mark,
                )
            self._depth += 1
        if part is not None:
            self._path.append(part)
        try:
            node = super().compose_node(parent, index)
        finally:
            if part is not None:
                self._path.pop()
            if is_collection:
                self._depth -= 1
        if isinstance(node, ScalarNode):
            self._check_scalar(node, path, is_key=isinstance(parent, MappingNode) and index is None)
        elif isinstance(parent, MappingNode) and index is None:
            raise YamlRefused(
                path,
                f"a {'list' if isinstance(node, SequenceNode) else 'mapping'} used as a key at "
                f"{_where(node.start_mark)}: expected a field name",
                node.start_mark,
            )
        return node

    @staticmethod
    def _part(parent, index):
        """This node's step in the path: a list position, a mapping key's text, or None for
        the document itself and for keys (which sit at their mapping's path)."""
        if isinstance(parent, SequenceNode):
            return index
        if isinstance(parent, MappingNode) and isinstance(index, ScalarNode):
            return index.value
        if isinstance(parent, MappingNode) and index is not None:
            return "?"
        return None

    def _check_scalar(self, node: ScalarNode, path: list, *, is_key: bool) -> None:
        if is_key and node.tag == _MERGE_TAG:
            raise YamlRefused(
                path,
                f"YAML merge key '<<' at {_where(node.start_mark)}: merge keys are not "
                "allowed; write the fields out in full",
                node.start_mark,
            )
        if node.tag in (_INT_TAG, _FLOAT_TAG) and len(node.value) > MAX_NUMBER_CHARS:
            raise YamlRefused(
                path,
                f"a number written with {len(node.value):,} characters at "
                f"{_where(node.start_mark)}; expected at most {MAX_NUMBER_CHARS}",
                node.start_mark,
            )
        if node.tag in _BUILT_TAGS:
            # Built now (and kept: the constructor reuses it) so that a value the resolver
            # took for a number or date but Python cannot build is refused with its path.
            try:
                self.construct_object(node)
            except (ValueError, OverflowError) as exc:
                kind = {_INT_TAG: "an integer", _FLOAT_TAG: "a number"}.get(node.tag, "a date")
                raise YamlRefused(
                    path,
                    f"{node.value!r:.60} at {_where(node.start_mark)} reads as {kind} "
                    f"but is not a valid one ({exc})",
                    node.start_mark,
                ) from exc


class PureFrameworkYamlLoader(_CheckedComposing, yaml.SafeLoader):
    """PyYAML's safe loader that refuses, while composing, aliases, anchors, merge keys, tags,
    deep nesting, too many values, overlong or unbuildable numbers and non-scalar keys; and
    duplicate keys while constructing."""

    def __init__(self, stream):
        super().__init__(stream)
        self._start_checks()


if yaml.__with_libyaml__:
    from yaml.cyaml import CParser

    class FrameworkYamlLoader(_CheckedComposing, Composer, CParser, SafeConstructor, Resolver):
        """The same loader with libyaml's parser underneath: the same checks on the same
        events, composed and constructed in Python, but scanning and parsing in C, about
        four times as fast (a 1,000-question file reads in well under a second)."""

        def __init__(self, stream):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self._start_checks()

else:  # pragma: no cover - PyYAML built without libyaml
    FrameworkYamlLoader = PureFrameworkYamlLoader


def _construct_mapping(loader: _CheckedComposing, node: MappingNode, deep: bool = False):
    # Keys are scalars here (the composer refuses others), so they are hashable.
    seen: dict = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first at line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


for _loader in {PureFrameworkYamlLoader, FrameworkYamlLoader}:
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str):
    """The single YAML document in ``text``; raises YamlRefused or yaml.YAMLError."""
    try:
        return yaml.load(text, Loader=FrameworkYamlLoader)  # noqa: S506 - safe constructor
    except YamlRefused:
        raise
    except yaml.YAMLError:
        if FrameworkYamlLoader is PureFrameworkYamlLoader:
            raise
    # libyaml refused the text on its own terms (its nesting limit, its escapes, its
    # wording): read it again with PyYAML's parser, which refuses it as it always has, with
    # the path (or, where libyaml alone is strict, accepts it as before). A file with a
    # mistake costs one more pass; a valid one, the common case, is read once, fast.
    return yaml.load(text, Loader=PureFrameworkYamlLoader)  # noqa: S506 - safe constructor
