"""The change history: capture (every writer), the pages' views of it, revert and retention.

`capture.register()` is called once by create_app; writers say who they are with
`context.recording(...)`."""
