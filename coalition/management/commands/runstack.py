"""Run the whole app locally: migrate, seed the demo city on an empty database,
then start the web server and a Celery worker with embedded beat, and print the
URL and the demo logins. Ctrl-C stops every process this started, including the
embedded PostgreSQL if this command started it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from coalition import embedded_postgres
from stakeholders.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, DEMO_USERS, seed_two_step
from stakeholders.models import User


class Command(BaseCommand):
    help = "Run web server, Celery worker and beat with demo data (what `make run` calls)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host: str, port: int, **options):
        self._check_port_free(host, port)
        call_command("migrate", interactive=False, verbosity=0)
        if not User.objects.exists():
            self.stdout.write("Empty database: seeding the demo city…")
            call_command("seed_demo")
        seed_two_step()  # demo admins who have no authenticator app get the demo one

        python = sys.executable
        processes = [
            subprocess.Popen([python, "manage.py", "runserver", f"{host}:{port}", "--noreload"]),
            subprocess.Popen(
                [python, "-m", "celery", "-A", "coalition", "worker", "-B", "--loglevel=info", "--concurrency=2"]
            ),
        ]
        stopping = False

        def stop(signum=None, frame=None):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            self._wait_for_port(host, port, processes)
            self._print_banner(host, port)
            while not stopping and all(process.poll() is None for process in processes):
                time.sleep(0.5)
            if not stopping:
                self.stderr.write("A process stopped unexpectedly; stopping the rest.")
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
            if embedded_postgres.started_here and not os.environ.get("DATABASE_URL"):
                embedded_postgres.stop(settings.DATA_DIR / "pgdata")
            self.stdout.write("Stopped.")

    def _check_port_free(self, host, port):
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, port))
            except OSError as error:
                raise CommandError(
                    f"Port {port} on {host} is in use ({error.strerror}). "
                    f"Stop what uses it, or choose another port: make run PORT={port + 1}"
                ) from None

    def _wait_for_port(self, host, port, processes, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in processes):
                raise CommandError("The web server or the worker failed to start; see the messages above.")
            with socket.socket() as probe:
                if probe.connect_ex((host, port)) == 0:
                    return
            time.sleep(0.2)
        raise CommandError(f"The web server did not answer on {host}:{port} within {timeout} seconds.")

    def _print_banner(self, host, port):
        lines = [
            "",
            "=" * 64,
            f"  Coalition is running at http://{host}:{port}/",
            "  Demo logins (local use only):",
            *[
                f"    {username:<12} {DEMO_PASSWORD}   ({', '.join(str(r) for r in roles)})"
                for username, _f, _l, roles in DEMO_USERS
            ],
            "  Admins sign in with two steps: add this setup key to an authenticator app",
            f"  (or any TOTP tool) and enter its 6-digit code: {DEMO_TOTP_SECRET}",
            "  Celery worker and beat are running. Press Ctrl-C to stop everything.",
            "=" * 64,
            "",
        ]
        self.stdout.write("\n".join(lines))
