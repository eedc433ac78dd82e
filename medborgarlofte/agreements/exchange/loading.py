"""Reading a document: YAML (a strict subset) or JSON, through the upload gate."""

import json

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from medborgarlofte.privacy import uploads

from .issues import describe, fail


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses explicit tags, anchors, aliases, merge keys and duplicate keys."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        mark = event.start_mark
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                problem=_("anchors and aliases (& and *) are not allowed"), problem_mark=mark
            )
        if getattr(event, "tag", None) is not None:
            raise yaml.MarkedYAMLError(
                problem=_("explicit YAML tags (%(tag)s) are not allowed") % {"tag": event.tag},
                problem_mark=mark,
            )
        return super().compose_node(parent, index)

    def flatten_mapping(self, node):
        for key_node, _value in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.MarkedYAMLError(
                    problem=_("merge keys (<<) are not allowed"), problem_mark=key_node.start_mark
                )

    def construct_mapping(self, node, deep=False):
        self.flatten_mapping(node)
        seen = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                raise yaml.MarkedYAMLError(
                    problem=_("a key must be a plain value"), problem_mark=key_node.start_mark
                )
            if key in seen:
                raise yaml.MarkedYAMLError(
                    problem=_('duplicate key "%(key)s"') % {"key": key},
                    problem_mark=key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _load_yaml(text: str, name: str):
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:  # a control character, refused before parsing
        line = text.count("\n", 0, exc.position) + 1
        fail(
            name,
            _("YAML error at line %(line)d, column %(column)d: %(problem)s")
            % {
                "line": line,
                "column": exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1,
                "problem": _("the character U+%(code)04X is not allowed") % {"code": exc.character},
            },
            line=line,
        )
    try:
        loader.get_event()  # stream start
        if loader.check_event(yaml.StreamEndEvent):
            fail(name, _("the document is empty"))
        node = loader.compose_document()
        if not loader.check_event(yaml.StreamEndEvent):
            line = loader.peek_event().start_mark.line + 1
            fail(
                name,
                _("line %(line)d: only one YAML document is allowed (found a second one)")
                % {"line": line},
                line=line,
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or str(exc)
        line = mark.line + 1 if mark else None
        if mark:
            problem = _("YAML error at line %(line)d, column %(column)d: %(problem)s") % {
                "line": line,
                "column": mark.column + 1,
                "problem": problem,
            }
        fail(name, problem, line=line)
    except yaml.YAMLError as exc:
        fail(name, _("YAML error: %(problem)s") % {"problem": exc})
    finally:
        loader.dispose()


def _refuse_json_constant(value):
    raise ValueError(_("%(value)s is not a number JSON allows") % {"value": value})


def _json_pairs(pairs):
    result = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(_('duplicate key "%(key)s"') % {"key": key})
        result[key] = value
    return result


def _load_json(text: str, name: str):
    try:
        return json.loads(text, object_pairs_hook=_json_pairs, parse_constant=_refuse_json_constant)
    except json.JSONDecodeError as exc:
        fail(
            name,
            _("JSON error at line %(line)d, column %(column)d: %(problem)s")
            % {"line": exc.lineno, "column": exc.colno, "problem": exc.msg},
            line=exc.lineno,
        )


def looks_like_json(data: bytes, name: str = "") -> bool:
    if name.lower().endswith(".json"):
        return True
    if name.lower().endswith((".yaml", ".yml")):
        return False
    return data.lstrip()[:1] in (b"{", b"[")


def load_document(data: bytes, *, name: str) -> dict:
    """Parse a YAML or JSON agreement document; DocumentError if it cannot be used.
    The bytes pass privacy.uploads' gate first: at most MAX_AGREEMENT_UPLOAD_BYTES, UTF-8
    text (not a renamed binary file)."""
    limits = uploads.with_max_bytes(None, settings.MAX_AGREEMENT_UPLOAD_BYTES)
    try:
        uploads.check_upload(data, name, kinds={"json", "yaml"}, limits=limits)
    except uploads.UploadRefused as exc:
        fail(name, exc.message, line=exc.line)
    text = data.decode("utf-8").removeprefix("\ufeff")
    is_json = looks_like_json(data, name)
    try:
        doc = _load_json(text, name) if is_json else _load_yaml(text, name)
    except RecursionError:
        fail(name, _("the document is nested too deeply"))
    except ValueError as exc:  # e.g. integers with too many digits, duplicate JSON keys
        fail(name, str(exc))
    if not isinstance(doc, dict):
        fail(
            name,
            _("expected a map (key: value) at the top level, got %(got)s") % {"got": describe(doc)},
        )
    return doc
