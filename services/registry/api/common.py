from flask import current_app


def db():
    return current_app.config["MAILLAGE_RUNTIME"].db
