"""Documents read by `yamlsrc` -> typed specs, each problem at its file, line and column.

A file without mistakes, written plainly, is read straight into `spec` classes by
`specjson.read_written` (`format/written.py` says what may be left out or written shorter).
Everything else goes to the pydantic models, which judge every value and have the writers'
words for what is wrong: they are imported only then, so `check` on a clean world never
builds them (their import is most of a cold check's memory). This is the one door to the
models: the loader and the replayer call these, and nothing outside `format/` sees a model or
a pydantic error. What the models accept is dumped and read into `spec` classes by
`specjson.decode`, the same reader that checks a cache entry, so a cold load and a cache hit
hand `world.build` the same values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from neuripsquest.format import specjson, yamlhelp, yamlsrc
from neuripsquest.format.spec import STAT_LIMIT, SceneSpec, WorldSpec
from neuripsquest.problems import Problem, closest, did_you_mean

if TYPE_CHECKING:
    from neuripsquest.format import model


def world_file(doc: yamlsrc.Document) -> tuple[WorldSpec | None, list[Problem]]:
    """world.yaml's contents; problems already in `doc` (YAML's own) are not repeated."""
    if doc.root is None and doc.problems:
        return None, []
    if not isinstance(doc.data, dict):
        return None, [Problem(doc.path, *doc.where([]), "world.yaml must be a mapping")]
    try:
        return specjson.read_written(WorldSpec, doc.data), []
    except (specjson.Invalid, RecursionError):
        pass  # pydantic says what is wrong, or takes a form the plain reader leaves to it
    from pydantic import ValidationError

    try:
        return world_spec(doc.data), []
    except ValidationError as exc:
        return None, _new_problems(doc, exc)


def world_spec(data: Any) -> WorldSpec:
    """world.yaml's plain data as a spec, or pydantic's ValidationError."""
    from neuripsquest.format import model

    dumped = model.WorldFile.model_validate(data).model_dump()
    # A flag written as bare text is a flag whose note that text is.
    dumped["flags"] = {
        name: {"note": v, "renamed_from": []} if isinstance(v, str) else v
        for name, v in dumped["flags"].items()
    }
    return specjson.decode(WorldSpec, dumped)


def scene_spec(data: Any) -> SceneSpec:
    """One scene's plain data as a spec, or pydantic's ValidationError."""
    from neuripsquest.format import model

    return specjson.decode(SceneSpec, model.Scene.model_validate(data).model_dump())


@dataclass
class SceneFile:
    """What a scene file yields. `readable` is False when it could not be read as a list of
    scenes at all: then any reference may point into it. `scenes` holds (index in the file,
    scene) for every scene that is valid on its own, and `half_known` the ids of the rest."""

    readable: bool
    scenes: list[tuple[int, SceneSpec]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    half_known: set[str] = field(default_factory=set)


_SCENES: Any = None
_SCENE_SPECS: Any = None
# Scenes converted by specjson before pydantic's converter is built: building it costs about
# 35 ms, which specjson's extra 40 µs a scene only outweighs past about a thousand scenes.
_CONVERTER_PAYS_AFTER = 1000
_converted = 0


def scene_file(doc: yamlsrc.Document) -> SceneFile:
    """A scene file's scenes; problems already in `doc` (YAML's own) are not repeated."""
    if doc.root is None and doc.problems:
        return SceneFile(False)
    data = doc.data if doc.data is not None else []
    if not isinstance(data, list):
        problem = Problem(doc.path, *doc.where([]), "a scene file must be a list of scenes")
        return SceneFile(False, problems=[problem])
    try:
        return SceneFile(True, list(enumerate(specjson.read_written(tuple[SceneSpec, ...], data))))
    except (specjson.Invalid, RecursionError):
        return _scene_file_by_models(doc, data)


def _scenes_adapter() -> Any:
    global _SCENES
    if _SCENES is None:
        from pydantic import TypeAdapter

        from neuripsquest.format import model

        _SCENES = TypeAdapter(list[model.Scene])
    return _SCENES


def _scene_file_by_models(doc: yamlsrc.Document, data: list[Any]) -> SceneFile:
    from pydantic import ValidationError

    try:
        scenes = _scenes_adapter().validate_python(data)
    except ValidationError as exc:
        out = SceneFile(True, problems=_new_problems(doc, exc))
        out.half_known = {
            d["id"] for d in data if isinstance(d, dict) and isinstance(d.get("id"), str)
        }
        # Scene by scene, so the good ones still take part in reference checks.
        for i, item in enumerate(data):
            try:
                out.scenes.append((i, scene_spec(item)))
            except ValidationError:
                continue
        return out
    return SceneFile(True, list(enumerate(scene_specs(scenes))))


def scene_specs(scenes: list[model.Scene]) -> list[SceneSpec]:
    """Validated scenes as specs. Many scenes go through pydantic's compiled core, which only
    converts what the models accepted, four times faster than specjson (0.12 s against 0.5 s
    for 10,000 scenes); a test holds the two to the same result."""
    global _SCENE_SPECS, _converted
    from pydantic import TypeAdapter

    _converted += len(scenes)
    if _converted <= _CONVERTER_PAYS_AFTER:
        return [specjson.decode(SceneSpec, s.model_dump()) for s in scenes]
    if _SCENE_SPECS is None:
        _SCENE_SPECS = TypeAdapter(list[SceneSpec])
    specs: list[SceneSpec] = _SCENE_SPECS.validate_python(_scenes_adapter().dump_python(scenes))
    return specs


def playthrough_file(doc: yamlsrc.Document) -> tuple[dict[str, Any] | None, list[Problem]]:
    """A playthrough's contents as plain values (keys as written: `if`, not `if_`)."""
    from pydantic import ValidationError

    from neuripsquest.format import playthrough

    try:
        pt = playthrough.PlaythroughFile.model_validate(doc.data)
    except ValidationError as exc:
        return None, pydantic_problems(doc, exc)
    return pt.model_dump(by_alias=True), []


def _new_problems(doc: yamlsrc.Document, exc: Any) -> list[Problem]:
    taken = {(p.line, p.column) for p in doc.problems}
    return [p for p in pydantic_problems(doc, exc) if (p.line, p.column) not in taken]


_KNOWN_KEYS: set[str] | None = None


def known_keys() -> set[str]:
    """Every key any file format has, for suggesting the one a misspelt key meant."""
    global _KNOWN_KEYS
    if _KNOWN_KEYS is None:
        from pydantic import BaseModel

        from neuripsquest.format import model, playthrough

        keys: set[str] = set()
        for module in (model, playthrough):
            for cls in vars(module).values():
                if isinstance(cls, type) and issubclass(cls, BaseModel):
                    for name, f in cls.model_fields.items():
                        keys.add(f.alias or name)
        _KNOWN_KEYS = keys
    return _KNOWN_KEYS


def pydantic_problems(doc: yamlsrc.Document, exc: Any) -> list[Problem]:
    """A ValidationError's errors as located problems, in the writers' words."""
    out = []
    errors = exc.errors(include_url=False)
    # A misspelt key is also a missing one: say it once, as the misspelling.
    misspelt = {
        (tuple(e["loc"][:-1]), m)
        for e in errors
        if e["type"] == "extra_forbidden"
        for m in [closest(str(e["loc"][-1]), known_keys())]
        if m
    }
    written = [_written_path(doc.data, e) for e in errors]
    for i, (e, loc) in enumerate(zip(errors, written, strict=True)):
        if e["type"] == "missing" and (tuple(e["loc"][:-1]), str(e["loc"][-1])) in misspelt:
            continue
        if _losing_branch(i, errors, written):
            continue
        kind = e["type"]
        name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "")
        if kind == "extra_forbidden":
            line, col = doc.where(loc, key=True)
            msg = f"unknown key '{name}'{did_you_mean(name, known_keys())}"
        elif kind == "missing":
            line, col = doc.where(loc[:-1])
            msg = f"missing required key '{name}'"
        elif kind == "string_pattern_mismatch":
            line, col = doc.where(loc)
            msg = (
                f"{name}: '{e['input']}' is not a valid name "
                "(use lower-case letters, digits and _, starting with a letter)"
            )
        elif kind in ("less_than_equal", "greater_than_equal") and "stats" in loc[:1]:
            line, col = doc.where(loc)
            msg = f"{name}: a stat must stay within ±{STAT_LIMIT:_}"
        elif kind == "string_type" and isinstance(e["input"], bool | int | float):
            # YAML 1.1 reads yes/no/on/off as booleans and 1e3 as a number
            line, col = doc.where(loc)
            node = yamlsrc.find(doc.root, loc)
            raw = getattr(node, "value", e["input"])
            msg = f"{name}: YAML reads {raw} as {type(e['input']).__name__}: put it in quotes"
        else:
            line, col = doc.where(loc)
            msg = yamlhelp.not_a_list(name, kind) or (f"{name}: {e['msg']}" if name else e["msg"])
        out.append(Problem(doc.path, line, col, msg))
    return out


def _written_path(data: Any, error: Any) -> list[Any]:
    """An error's location as keys and indexes of the document, without the names pydantic
    gives the branches of a union (`Range`, `function-before[...]`), which the writer never
    wrote; a missing key keeps its name."""
    loc = list(error["loc"])
    path: list[Any] = []
    node = data
    for i, part in enumerate(loc):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        elif not (error["type"] == "missing" and i == len(loc) - 1):
            continue
        path.append(part)
    return path


def _losing_branch(i: int, errors: list[Any], paths: list[list[Any]]) -> bool:
    """A union branch's bare "not a mapping" / "not a number" at a value that another branch
    read further into, or had its own word about: that other is what the writer meant
    (`energy: "3"` is a quoted number, not a range written wrongly)."""
    error, path = errors[i], paths[i]
    if len(path) == len(error["loc"]) or not error["type"].endswith("_type"):
        return False
    return any(
        j != i
        and other[: len(path)] == path
        and (len(other) > len(path) or not errors[j]["type"].endswith("_type"))
        for j, other in enumerate(paths)
    )
