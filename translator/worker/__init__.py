"""The worker adapter: ``translator worker`` consumes the task queue and runs the service's use cases."""
