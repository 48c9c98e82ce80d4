"""Coalition domain models (coalitions, memberships, goals, ally stances) arrive
with the coalitions issue; this app imports only ``stakeholders``."""
