"""Scale-out: translation work on Celery workers behind a Redis or RabbitMQ broker (``TRANSLATOR_BROKER``).

* :mod:`.app`: the Celery app, its reliability settings and the queue names
  (``interactive`` before ``bulk``, per language pair);
* :mod:`.board`: the short-lived shared state beside the store (queued
  markers, failures, announced engine identities, request replies, worker
  counters, batch jobs);
* :mod:`.dispatch`: the sending side (web processes, ``batch --enqueue``);
* :mod:`.worker`: ``translator worker``, the consuming side.

Without ``TRANSLATOR_BROKER`` none of this is used: background translations
run on the in-process pool of :class:`~translator.service.articles.ArticleService`.
"""
