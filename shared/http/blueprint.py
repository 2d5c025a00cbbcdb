"""The Blueprint services use: flask-smorest's, with query strings as strict as bodies.

webargs ignores unknown query parameters by default; here the schema decides (they RAISE), so
`?status[$ne]=x` or a typo in a filter is a 422 naming the parameter, not a silently wider query.
"""
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser


class StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": None, "querystring": None}


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = StrictParser()
