"""A minimal Django project serving django-helpdesk: the benchmark's peer (issue 7).

Runs only inside the peer's virtual environment (var/bench/helpdesk-venv), never ours.
"""
