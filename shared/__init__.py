"""The kit every Maillage service uses: config, Mongo, bus (envelope, outbox, consumers), HTTP."""
