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


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        try:
            return json_body.parse(req.get_data(cache=True))
        except json_body.TooDeep as exc:
            abort(400, exc=exc, message=str(exc), messages={"json": [str(exc)]})

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        if req.method == "PATCH" and (data is core.missing or data == {}):
            raise ValidationError({"_body": ["A PATCH needs a JSON object with at least one field to change."]})
        return data


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictParser()
