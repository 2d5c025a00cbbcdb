"""The bus kit: CloudEvents envelope, topology, transactional outbox + relay, consumer runner, DLQ tools."""
