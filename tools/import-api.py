#!/usr/bin/env python3
"""Builds api/description.json, the repository's description of the Jogg.ai API.

Inputs, all read from the vendor's material except the last two:
  openapi-v1.yaml, openapi-v2.yaml  methods, paths, parameters, request bodies (with $ref
                                    resolved), member examples, response examples
  postman-v2.json                   example requests and responses
  operations.tsv                    our operation names, which operations start background
                                    work and the operation that polls each one
  api/facts.json                    what the specs do not say in a machine-readable way: where
                                    a task's id is, how its status reads, its webhook events
  api/overrides.json                corrections for the documented contradictions

Only facts are carried over (types, enums, bounds, required members, example values); the
vendor's prose (descriptions, summaries, titles) is not. docs/api-description.md describes the
output. The output is deterministic: run twice, get the same bytes.

Usage: tools/import-api.py [SPECS_DIR] [-o OUTPUT]
SPECS_DIR defaults to $JOGG_API_SPECS, else ../shared/jogg-api next to the repository.
"""

import argparse
import copy
import csv
import json
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SPECS = os.path.join(ROOT, "..", "shared", "jogg-api")
FORMAT_VERSION = 1

# Schema keywords kept from the specs; everything else (description, example, title,
# format other than uri...) is dropped.
KEPT_SCALARS = ("type", "enum", "minimum", "maximum", "minLength", "maxLength", "nullable",
                "default")
# Example strings longer than this that contain spaces are prose (marketing copy, essays), not
# facts: they are replaced by a filler of the same length in characters.
PROSE_CHARS = 120
FILLER = "example text "
STATES = ("pending", "processing", "succeeded", "failed", "deleted")
MISSING = object()


class ImportError_(Exception):
    """A problem in the inputs that must be fixed before the description can be built."""


def fail(message):
    raise ImportError_(message)


# ---------------------------------------------------------------------------------------------
# Reading the inputs


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def read_operations(path):
    """operations.tsv: one row per operation, in the order the description keeps."""
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    ops = []
    for row in rows:
        version = row["version"]
        path_ = row["path"]
        full_path = "/v1" + path_ if version == "v1" else path_
        poll = row["poll_with"]
        ops.append({
            "name": f"{version}.{row['name']}",
            "version": version,
            "method": row["method"].upper(),
            "spec_path": path_,
            "path": full_path,
            "async": row["async"] == "yes",
            "poll_with": None if poll in ("", "-") else poll,
        })
    names = [op["name"] for op in ops]
    if len(set(names)) != len(names):
        fail("operations.tsv names an operation twice")
    return ops


class Spec:
    """One OpenAPI document, with `$ref` resolution."""

    def __init__(self, path, label):
        self.doc = load_yaml(path)
        self.label = label

    def resolve(self, node, seen=()):
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if ref in seen:
                fail(f"{self.label}: $ref cycle at {ref}")
            seen = seen + (ref,)
            if not ref.startswith("#/"):
                fail(f"{self.label}: external $ref {ref} is not supported")
            target = self.doc
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                target = target[part]
            node = target
        return node

    def operation(self, method, path):
        item = self.doc.get("paths", {}).get(path)
        if item is None:
            return None
        return item.get(method.lower())

    def all_operations(self):
        for path, item in self.doc.get("paths", {}).items():
            for method in item:
                if method in ("get", "post", "put", "delete", "patch"):
                    yield method.upper(), path


# ---------------------------------------------------------------------------------------------
# Schemas: the specs' JSON Schema reduced to the subset docs/api-description.md defines


def merge_all_of(spec, schema):
    """allOf of object schemas as one object schema (properties and required joined)."""
    merged = {"type": "object", "properties": {}, "required": []}
    for part in schema["allOf"]:
        part = spec.resolve(part)
        if "allOf" in part:
            part = merge_all_of(spec, part)
        for key, value in part.items():
            if key == "properties":
                merged["properties"].update(value)
            elif key == "required":
                merged["required"] += [r for r in value if r not in merged["required"]]
            elif key not in ("type",):
                merged.setdefault(key, value)
    if not merged["required"]:
        del merged["required"]
    return merged


def convert(spec, schema):
    schema = spec.resolve(schema)
    if "allOf" in schema:
        schema = merge_all_of(spec, schema)
    out = {}
    for key in KEPT_SCALARS:
        if key in schema:
            out[key] = copy.deepcopy(schema[key])
    if schema.get("format") == "uri":
        out["format"] = "uri"
    if "properties" in schema:
        out["properties"] = {name: convert(spec, sub) for name, sub in schema["properties"].items()}
        if "type" not in out:
            out["type"] = "object"
    if schema.get("required"):
        out["required"] = list(schema["required"])
    if "items" in schema:
        out["items"] = convert(spec, schema["items"])
    if schema.get("additionalProperties") is True:
        out["additionalProperties"] = True
    return out


def example_of(spec, schema):
    """The example a schema gives, or assembles from its members' examples; MISSING if none."""
    schema = spec.resolve(schema)
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if "allOf" in schema:
        schema = merge_all_of(spec, schema)
    if "properties" in schema:
        out = {}
        for name, sub in schema["properties"].items():
            value = example_of(spec, sub)
            if value is not MISSING:
                out[name] = value
        return out if out else MISSING
    if "items" in schema:
        item = example_of(spec, schema["items"])
        return [item] if item is not MISSING else MISSING
    return MISSING


# ---------------------------------------------------------------------------------------------
# Operations from the specs


def spec_params(spec, op_spec):
    params = []
    examples = {}
    for raw in op_spec.get("parameters", []):
        p = spec.resolve(raw)
        where = p["in"]
        if where not in ("path", "query"):
            fail(f"{spec.label}: parameter {p['name']} is in {where}, which is not supported")
        params.append({
            "name": p["name"],
            "in": where,
            "required": bool(p.get("required", where == "path")),
            "schema": convert(spec, p.get("schema", {})),
        })
        value = p.get("example", MISSING)
        if value is MISSING:
            value = example_of(spec, p.get("schema", {}))
        if value is not MISSING:
            examples[p["name"]] = value
    body = op_spec.get("requestBody")
    if body is not None:
        body = spec.resolve(body)
        content = body.get("content", {})
        if list(content) != ["application/json"]:
            fail(f"{spec.label}: request body types {list(content)} are not supported")
        raw_schema = content["application/json"].get("schema", {})
        schema = spec.resolve(raw_schema)
        if "allOf" in schema:
            schema = merge_all_of(spec, schema)
        required = schema.get("required", [])
        for name, sub in schema.get("properties", {}).items():
            params.append({
                "name": name,
                "in": "body",
                "required": name in required,
                "schema": convert(spec, sub),
            })
            value = example_of(spec, sub)
            if value is not MISSING:
                examples[name] = value
    return params, examples


def spec_responses(spec, op_spec):
    """Example replies: an example given for the whole reply, else one assembled from the
    members' examples."""
    out = []
    for status, response in sorted(op_spec.get("responses", {}).items(), key=lambda kv: str(kv[0])):
        response = spec.resolve(response)
        media = response.get("content", {}).get("application/json")
        if media is None:
            continue
        code = int(status) if str(status).isdigit() else None
        if "example" in media:
            out.append({"source": f"{spec.label} response example", "status": code,
                        "body": copy.deepcopy(media["example"])})
        assembled = example_of(spec, media.get("schema", {}))
        if assembled is not MISSING and all(assembled != e["body"] for e in out):
            out.append({"source": f"{spec.label} response member examples", "status": code,
                        "body": assembled})
    return out


def response_data_schema(spec, op_spec):
    """The raw schema of `data` in the 200 reply, resolved, or None."""
    response = op_spec.get("responses", {}).get("200") or op_spec.get("responses", {}).get(200)
    if response is None:
        return None
    response = spec.resolve(response)
    schema = response.get("content", {}).get("application/json", {}).get("schema")
    if schema is None:
        return None
    schema = spec.resolve(schema)
    if "allOf" in schema:
        schema = merge_all_of(spec, schema)
    data = schema.get("properties", {}).get("data")
    if data is None:
        return None
    data = spec.resolve(data)
    if "allOf" in data:
        data = merge_all_of(spec, data)
    return data


def paging_of(spec, op, op_spec):
    names = {p["name"] for p in op["params"] if p["in"] == "query"}
    if not {"page", "page_size"} <= names:
        return None
    data = response_data_schema(spec, op_spec)
    arrays = [name for name, sub in (data or {}).get("properties", {}).items()
              if spec.resolve(sub).get("type") == "array"]
    if len(arrays) != 1:
        fail(f"{op['name']}: a paged list whose reply has {len(arrays)} array members")
    return {"items": arrays[0], "page": "page", "page_size": "page_size"}


# ---------------------------------------------------------------------------------------------
# Postman


def postman_items(collection):
    def walk(items):
        for item in items:
            if "item" in item:
                yield from walk(item["item"])
            else:
                yield item
    yield from walk(collection.get("item", []))


def postman_path(url):
    raw = url["raw"] if isinstance(url, dict) else url
    raw = raw.replace("{{baseUrl}}", "")
    raw = raw.split("?", 1)[0]
    parts = [("{" + s[1:] + "}") if s.startswith(":") else s for s in raw.split("/")]
    return "/".join(parts)


def same_path(a, b):
    return a.rstrip("/") == b.rstrip("/")


def postman_examples(collection, ops):
    """Requests and replies of the collection, attached to their operations by method and
    path. Disabled query parameters are left out: they are not sent."""
    by_route = {}
    for item in postman_items(collection):
        request = item["request"]
        method = request["method"].upper()
        url = request["url"]
        path = postman_path(url)
        matches = [op for op in ops if op["method"] == method and same_path(op["path"], path)]
        if len(matches) != 1:
            fail(f"postman item {item['name']!r} ({method} {path}) matches {len(matches)} operations")
        op = matches[0]
        params = {}
        if isinstance(url, dict):
            for var in url.get("variable") or []:
                params[var["key"]] = var.get("value", "")
            for q in url.get("query") or []:
                if not q.get("disabled"):
                    params[q["key"]] = q.get("value") or ""
        body = request.get("body") or {}
        if body.get("mode") == "raw" and body.get("raw", "").strip():
            try:
                parsed = json.loads(body["raw"])
            except json.JSONDecodeError as e:
                fail(f"postman item {item['name']!r}: body is not JSON ({e})")
            if not isinstance(parsed, dict):
                fail(f"postman item {item['name']!r}: body is not a JSON object")
            for key, value in parsed.items():
                params[key] = value
        elif body.get("mode") not in (None, "raw"):
            fail(f"postman item {item['name']!r}: body mode {body.get('mode')} is not supported")
        entry = by_route.setdefault(op["name"], {"requests": [], "responses": []})
        entry["requests"].append({"source": f"postman: {item['name']}", "params": params})
        for response in item.get("response", []):
            text = (response.get("body") or "").strip()
            if not text:
                continue
            try:
                parsed = json.loads(text)
            except json.JSONDecodeError as e:
                fail(f"postman response {response.get('name')!r}: body is not JSON ({e})")
            entry["responses"].append({
                "source": f"postman: {item['name']} / {response.get('name', '')}".rstrip(" /"),
                "status": response.get("code"),
                "body": parsed,
            })
    return by_route


# ---------------------------------------------------------------------------------------------
# Tasks, from operations.tsv and api/facts.json


def poll_operation(ops, op):
    """The operation a task is polled with: the GET at operations.tsv's poll_with path."""
    target = op["poll_with"]
    full = "/v1" + target if op["version"] == "v1" else target
    found = [o for o in ops if o["method"] == "GET" and o["path"] == full]
    if len(found) != 1:
        fail(f"{op['name']}: poll_with {target} matches {len(found)} GET operations")
    return found[0]


def build_tasks(ops, facts):
    """The `task` facts of every operation that starts background work."""
    by_name = {op["name"]: op for op in ops}
    statuses = facts["statuses"]
    for key, vocabulary in statuses.items():
        if not vocabulary.get("reason"):
            fail(f"facts: status vocabulary {key} has no reason")
        for pair in vocabulary["states"]:
            if pair["state"] not in STATES:
                fail(f"facts: status vocabulary {key} maps to unknown state {pair['state']}")
    covered = set()
    for group in facts["tasks"]:
        if not group.get("reason"):
            fail(f"facts: the task of {group['start']} has no reason")
        for name in group["start"]:
            op = by_name.get(name)
            if op is None:
                fail(f"facts: {name} is not an operation")
            if not op["async"]:
                fail(f"facts: {name} is not asynchronous in operations.tsv")
            if name in covered:
                fail(f"facts: {name} has two tasks")
            covered.add(name)
            poll = poll_operation(ops, op)
            if group["poll"] != poll["name"]:
                fail(f"facts: {name} polls with {group['poll']}, operations.tsv says {poll['name']}")
            vocabulary = statuses.get(group["status"])
            if vocabulary is None:
                fail(f"facts: {name} uses unknown status vocabulary {group['status']}")
            task = {"id_members": list(group["id_members"])}
            if "id_array" in group:
                task["id_array"] = group["id_array"]
            task["poll"] = poll["name"]
            poll_params = [p["name"] for p in poll["params"]]
            if "list" in group:
                task["list"] = dict(group["list"])
            else:
                param = group.get("poll_param")
                if param is None:
                    path_params = [p["name"] for p in poll["params"] if p["in"] == "path"]
                    if len(path_params) != 1:
                        fail(f"facts: {name}: say which parameter of {poll['name']} takes the id")
                    param = path_params[0]
                if param not in poll_params:
                    fail(f"facts: {name}: {poll['name']} has no parameter {param}")
                task["poll_param"] = param
            status = {"members": list(vocabulary["members"])}
            if "each_of" in vocabulary:
                status["each_of"] = vocabulary["each_of"]
            status["states"] = [dict(pair) for pair in vocabulary["states"]]
            task["status"] = status
            op["task"] = task
            op["events"] = list(group.get("events", []))
    missing = [op["name"] for op in ops if op["async"] and op["name"] not in covered]
    if missing:
        fail(f"facts: no task facts for {', '.join(missing)}")


def declared_status_values(spec, poll_spec, status):
    """The status values the poll reply's schema declares (enum of the status member)."""
    data = response_data_schema(spec, poll_spec)
    if data is None:
        return []
    node = data
    if "list" in status:
        node = spec.resolve(node.get("properties", {}).get(status["list"]["items"], {}))
        node = spec.resolve(node.get("items", {}))
    if "each_of" in status:
        node = spec.resolve(node.get("properties", {}).get(status["each_of"], {}))
        node = spec.resolve(node.get("items", {}))
    values = []
    for member in status["members"]:
        sub = spec.resolve(node.get("properties", {}).get(member, {}))
        values += sub.get("enum", [])
    return values


# ---------------------------------------------------------------------------------------------
# Overrides


def pointer_parts(pointer):
    if not pointer.startswith("/"):
        fail(f"overrides: place {pointer!r} does not start with /")
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def step(node, part, create):
    """One step of a place: `params/<name>` finds a parameter by name; other parts are
    object keys or list indexes."""
    if isinstance(node, list):
        if all(isinstance(x, dict) and "name" in x for x in node) and not part.isdigit():
            for x in node:
                if x["name"] == part:
                    return x
            return MISSING
        index = int(part)
        return node[index] if index < len(node) else MISSING
    if isinstance(node, dict):
        if part not in node and create:
            node[part] = {}
        return node.get(part, MISSING)
    return MISSING


def apply_override(op, override):
    parts = pointer_parts(override["at"])
    parent = op
    for part in parts[:-1]:
        parent = step(parent, part, create=False)
        if parent is MISSING:
            fail(f"overrides: {op['name']} has no {override['at']}")
    last = parts[-1]
    if "remove" in override:
        if isinstance(parent, dict) and last in parent:
            del parent[last]
        elif isinstance(parent, list):
            found = [x for x in parent if isinstance(x, dict) and x.get("name") == last]
            if not found:
                fail(f"overrides: {op['name']} has no {override['at']} to remove")
            parent.remove(found[0])
        else:
            fail(f"overrides: {op['name']} has no {override['at']} to remove")
        return
    value = copy.deepcopy(override["set"])
    if isinstance(parent, list):
        # A parameter list: replace the one of that name, or add a new one.
        if not isinstance(value, dict) or value.get("name") != last:
            fail(f"overrides: {override['at']} must be set to a parameter named {last}")
        for i, x in enumerate(parent):
            if x.get("name") == last:
                if x == value:
                    fail(f"overrides: {op['name']} {override['at']} already is that (stale)")
                parent[i] = value
                return
        parent.append(value)
        return
    if not isinstance(parent, dict):
        fail(f"overrides: {op['name']} {override['at']} is not inside an object")
    if parent.get(last, MISSING) == value:
        fail(f"overrides: {op['name']} {override['at']} already is that (stale)")
    parent[last] = value


def apply_overrides(ops, overrides):
    by_name = {op["name"]: op for op in ops}
    for override in overrides:
        if not override.get("reason", "").strip():
            fail(f"overrides: {override} has no reason")
        if ("set" in override) == ("remove" in override):
            fail(f"overrides: {override['at']} needs exactly one of set and remove")
        names = override["operation"]
        names = [names] if isinstance(names, str) else names
        for name in names:
            op = by_name.get(name)
            if op is None:
                fail(f"overrides: {name} is not an operation")
            apply_override(op, override)


# ---------------------------------------------------------------------------------------------
# Output


SCHEMA_ORDER = ("type", "format", "const", "enum", "minimum", "maximum", "minLength",
                "maxLength", "nullable", "default", "properties", "required",
                "additionalProperties", "items", "oneOf", "anyOf", "allOf", "if", "then")
TYPES = ("integer", "number", "string", "boolean", "object", "array")


def order_schema(schema):
    """Keys of a schema in one fixed order (properties keep the spec's order)."""
    out = {}
    for key in SCHEMA_ORDER:
        if key in schema:
            value = schema[key]
            if key == "properties":
                value = {k: order_schema(v) for k, v in value.items()}
            elif key in ("items", "if", "then"):
                value = order_schema(value)
            elif key in ("oneOf", "anyOf", "allOf"):
                value = [order_schema(v) for v in value]
            out[key] = value
    return out


def check_schema(where, schema, members=None):
    """Fails unless `schema` stays within the subset docs/api-description.md defines.
    `members`: the names an operation-level constraint may require (its parameters)."""
    unknown = set(schema) - set(SCHEMA_ORDER)
    if unknown:
        fail(f"{where}: keyword(s) {sorted(unknown)} are not in the description's subset")
    types = schema.get("type")
    for t in ([types] if isinstance(types, str) else types or []):
        if t not in TYPES:
            fail(f"{where}: type {t!r} is not in the subset")
    if schema.get("format", "uri") != "uri":
        fail(f"{where}: format {schema['format']!r} is not in the subset")
    own = schema.get("properties", {})
    properties = members if members is not None else own
    known = properties
    for name in schema.get("required", []):
        if name not in known:
            fail(f"{where}: requires {name!r}, which it does not declare")
    for name, sub in own.items():
        check_schema(f"{where}.{name}", sub)
    if "items" in schema:
        check_schema(f"{where}[]", schema["items"])
    for key in ("oneOf", "anyOf"):
        for branch in schema.get(key, []):
            check_requirement(f"{where} {key}", branch, known, properties)
    for part in schema.get("allOf", []):
        if set(part) != {"if", "then"}:
            fail(f"{where}: allOf holds if/then pairs only")
        condition = part["if"]
        if set(condition) - {"properties", "required"}:
            fail(f"{where}: an if tests members' const or enum values and presence only")
        for name, test in condition.get("properties", {}).items():
            if name not in known or not set(test) <= {"const", "enum"} or not test:
                fail(f"{where}: if tests {name!r} with {test}")
        for name in condition.get("required", []):
            if name not in known:
                fail(f"{where}: if tests undeclared {name!r}")
        check_requirement(f"{where} then", part["then"], known, properties)


def check_requirement(where, branch, known, properties):
    """oneOf/anyOf branches and then: `required`, nested `properties` of the same kind,
    and anyOf/oneOf of them."""
    if set(branch) - {"required", "properties", "anyOf", "oneOf"}:
        fail(f"{where}: a requirement holds required, properties, anyOf and oneOf only")
    for name in branch.get("required", []):
        if name not in known:
            fail(f"{where}: requires undeclared {name!r}")
    for name, sub in branch.get("properties", {}).items():
        if name not in known:
            fail(f"{where}: names undeclared {name!r}")
        inner = properties.get(name, {}) if properties else {}
        check_requirement(f"{where}.{name}", sub, inner.get("properties", {}),
                          inner.get("properties", {}))
    for key in ("anyOf", "oneOf"):
        for sub in branch.get(key, []):
            check_requirement(where, sub, known, properties)


def check_operation(op):
    names = [p["name"] for p in op["params"]]
    if len(set(names)) != len(names):
        fail(f"{op['name']}: a parameter is declared twice")
    for p in op["params"]:
        if set(p) != {"name", "in", "required", "schema"} or p["in"] not in ("path", "query",
                                                                              "body"):
            fail(f"{op['name']}: parameter {p.get('name')} is malformed")
        check_schema(f"{op['name']}.{p['name']}", p["schema"])
    if op.get("constraints"):
        params = {p["name"]: p["schema"] for p in op["params"]}
        check_schema(f"{op['name']} constraints", op["constraints"], members=params)


def scrub(value):
    """An example value with its long prose strings replaced by filler of the same length."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    if isinstance(value, str) and len(value) > PROSE_CHARS and " " in value:
        return (FILLER * (len(value) // len(FILLER) + 1))[:len(value)]
    return value


def finish_operation(op):
    out = {
        "name": op["name"],
        "version": op["version"],
        "method": op["method"],
        "path": op["path"],
        "params": [],
    }
    for p in op["params"]:
        out["params"].append({
            "name": p["name"],
            "in": p["in"],
            "required": p["required"],
            "schema": order_schema(p["schema"]),
        })
    if op.get("constraints"):
        out["constraints"] = order_schema(op["constraints"])
    if op.get("task"):
        out["task"] = op["task"]
    if op.get("paging"):
        out["paging"] = op["paging"]
    out["events"] = op.get("events", [])
    out["examples"] = {"requests": scrub(op["examples"]["requests"]),
                       "responses": scrub(op["examples"]["responses"])}
    return out


def is_scalar_list(value):
    return isinstance(value, list) and all(not isinstance(x, (dict, list)) for x in value)


def dump(value, indent=0):
    """JSON with two-space indents; lists of scalars and empty containers on one line."""
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {dump(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if is_scalar_list(value):
            return "[" + ", ".join(json.dumps(x, ensure_ascii=False) for x in value) + "]"
        return "[\n" + ",\n".join(inner + dump(x, indent + 1) for x in value) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def build(specs_dir):
    path = lambda name: os.path.join(specs_dir, name)
    ops = read_operations(path("operations.tsv"))
    specs = {"v1": Spec(path("openapi-v1.yaml"), "openapi-v1"),
             "v2": Spec(path("openapi-v2.yaml"), "openapi-v2")}
    postman = load_json(path("postman-v2.json"))
    facts = load_json(os.path.join(ROOT, "api", "facts.json"))
    overrides = load_json(os.path.join(ROOT, "api", "overrides.json"))

    seen = set()
    for op in ops:
        spec = specs[op["version"]]
        op_spec = spec.operation(op["method"], op["spec_path"])
        if op_spec is None:
            fail(f"{op['name']}: {op['method']} {op['spec_path']} is not in {spec.label}")
        seen.add((op["version"], op["method"], op["spec_path"]))
        op["params"], member_examples = spec_params(spec, op_spec)
        op["examples"] = {"requests": [], "responses": spec_responses(spec, op_spec)}
        if member_examples:
            op["examples"]["requests"].append({"source": f"{spec.label} member examples",
                                               "params": member_examples})
        paging = paging_of(spec, op, op_spec)
        if paging:
            op["paging"] = paging
    for version, spec in specs.items():
        for method, spec_path in spec.all_operations():
            if (version, method, spec_path) not in seen:
                fail(f"{spec.label}: {method} {spec_path} is not in operations.tsv")

    for name, entry in postman_examples(postman, ops).items():
        op = next(o for o in ops if o["name"] == name)
        op["examples"]["requests"] += entry["requests"]
        op["examples"]["responses"] += entry["responses"]

    apply_overrides(ops, overrides["overrides"])
    for op in ops:
        check_operation(op)
    build_tasks(ops, facts)
    for op in ops:
        if not op["async"]:
            continue
        spec = specs[op["version"]]
        poll = next(o for o in ops if o["name"] == op["task"]["poll"])
        poll_spec = spec.operation("GET", poll["spec_path"])
        status = op["task"]["status"]
        mapped = [pair["value"] for pair in status["states"]]
        for value in declared_status_values(spec, poll_spec, {**status, **op["task"]}):
            if value not in mapped:
                fail(f"{op['name']}: the spec declares status {value!r}, which facts do not map")

    return {
        "format": FORMAT_VERSION,
        "generated_by": "tools/import-api.py from the vendor's OpenAPI specs, Postman "
                        "collection and operations table, with api/facts.json and "
                        "api/overrides.json; see docs/api-description.md",
        "operations": [finish_operation(op) for op in ops],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("specs", nargs="?",
                        default=os.environ.get("JOGG_API_SPECS") or DEFAULT_SPECS,
                        help="directory of the vendor's specs (default: $JOGG_API_SPECS, "
                             "else ../shared/jogg-api next to the repository)")
    parser.add_argument("-o", "--output", default=os.path.join(ROOT, "api", "description.json"),
                        help="where to write the description (default: api/description.json)")
    args = parser.parse_args()
    if not os.path.isdir(args.specs):
        print(f"import-api: {args.specs} is not a directory of specs", file=sys.stderr)
        return 2
    try:
        description = build(args.specs)
    except ImportError_ as e:
        print(f"import-api: {e}", file=sys.stderr)
        return 1
    text = dump(description) + "\n"
    with open(args.output, "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
