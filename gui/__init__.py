"""The Qt review window: views, table models, undo commands over core edits, workers and settings (Qt only here)."""
