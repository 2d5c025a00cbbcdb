"""The Blueprint services use: flask-smorest's, with query strings as strict as bodies.

webargs ignores unknown query parameters by default; here the schema decides (they RAISE), so
`?status[$ne]=x` or a typo in a filter is a 422 naming the parameter, not a silently wider query.
Bodies are read by `shared.http.json_body` (depth, surrogates, control characters), and a PATCH must say
what it changes.
"""
from flask_smorest import Blueprint as SmorestBlueprint
from marshmallow import ValidationError
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request

from shared.http import json_body
from shared.http.auth import requires


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        try:
            return json_body.parse(req.get_data(cache=True))
        except json_body.TooDeep as exc:
            abort(400, exc=exc, message=str(exc), messages={"json": [str(exc)]})

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, exc=error, messages={"json": ["Le corps de la requête n'est pas du JSON valide."]})

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        if req.method == "PATCH" and (data is core.missing or data == {}):
            raise ValidationError({"_body": ["Un PATCH attend un objet JSON avec au moins un champ à modifier."]})
        return data


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictParser()

    def operation(self, response=None, *, status: int = 200, body=None, query=None,
                  roles: tuple[str, ...] = (), public: bool = False, if_match: bool = False,
                  alt: dict[int, str] | None = None):
        """One route method's whole contract in one decorator: who may call it (`roles`, any valid token
        when empty; `public=True` for no token at all — never the default), what it reads (`body`, `query`),
        what it answers (`status`, `response`), whether a stale `If-Match` is a documented 412, and the other
        answers worth documenting (`alt`: status → description)."""
        def decorator(view):
            if not public:
                view = requires(*roles)(view)
            documented = {**(alt or {}), **({412: "If-Match does not match the current ETag"} if if_match else {})}
            for code, description in documented.items():
                view = self.alt_response(code, description=description)(view)
            view = self.response(status, response)(view) if response is not None else self.response(status)(view)
            # an instance, not the class: webargs would make a new schema object on every request
            if query is not None:
                view = self.arguments(_instance(query), location="query")(view)
            if body is not None:
                view = self.arguments(_instance(body))(view)
            return view
        return decorator


def _instance(schema):
    return schema() if isinstance(schema, type) else schema
