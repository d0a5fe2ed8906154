"""gunicorn settings for grassroots (used by `grassroots serve` and `make demo`; operators may copy it).

The access log leaves out query strings (`%(U)s` is the path alone): API searches such as
`/api/v1/residents/?phone=…` carry personal data in the URL, and logs must never hold it.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
timeout = 60
# Import the application once in the master, before forking: workers start warm (no import
# on their first request) and share its memory pages.
preload_app = True
# No control socket (`gunicornc`): its default path (~/.gunicorn/gunicorn.ctl) is one per user,
# so two servers of one account would take it from each other; signals do the same job.
control_socket_disable = True
