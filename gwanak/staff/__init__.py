"""The staff back office: queues, users, settings, outbox, audit log."""
