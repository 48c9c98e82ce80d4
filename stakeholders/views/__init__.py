"""Views of the stakeholders app, one module per part of the domain."""
