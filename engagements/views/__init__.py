"""Views of the engagements app, one module per part of the domain."""
