"""The baseline: bare Flask + pymongo running the same list query on the same data, no kit."""
import os

from flask import Flask, jsonify, request
from pymongo import MongoClient


def create_app():
    app = Flask("baseline")
    client = MongoClient(os.environ["MONGO_URL"], tz_aware=True)
    db = client[os.environ.get("MONGO_DB_PREFIX", "") + "registry"]

    @app.get("/structures")
    def structures():
        # The query the registry runs for this list (same filter, sort and projection), nothing else.
        query = {"federation": "apmsl", "department": request.args["department"], "archived": False}
        docs = list(db.structures.find(query, {"search_prefixes": 0, "search_tokens": 0, "name_sort": 0})
                    .sort([("name_sort", 1), ("_id", 1)]).limit(20))
        for doc in docs:
            for key, value in doc.items():
                if hasattr(value, "isoformat"):
                    doc[key] = value.isoformat()
        return jsonify({"items": docs, "total": db.structures.count_documents(query)})

    return app
