"""NeuroCanvas window: shows and edits the document; the maths stays in engine/."""
