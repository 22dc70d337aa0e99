"""Who may do what: permissions granted to roles and to single users."""
