"""`neuripsquest lsp`: a language server for world files (docs/editors.md).

Only this package imports pygls, and only `server` does: the index, the workspace and
completion are plain Python over the world's files.
"""
