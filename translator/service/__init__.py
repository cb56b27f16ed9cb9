"""The service layer: the one builder of the object graph (:mod:`.runtime`) and the use cases the
adapters (web, cli, batch, the worker) call.
"""
