"""The newsroom's own work on the French: the human translation memory, translation units, publication
state and embargoes, the review list, and TMX export and import.
"""
