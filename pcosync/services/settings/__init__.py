"""What an admin chooses for the sync, stored in the database: per custom field, what syncs."""
