"""Test and benchmark support, never imported by the product: child processes of ``translator serve``
and ``translator worker`` (:mod:`.processes`) and random-weight Marian models built offline (:mod:`.models`).
"""
