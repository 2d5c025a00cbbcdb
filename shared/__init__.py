"""The kit every Maillage service uses: config, Mongo, bus (envelope, outbox, consumers), HTTP."""

from shared.http import french as _french

_french.install()  # marshmallow's messages in French before any schema is declared (validators copy them)
