"""What every app stands on: the server and worker commands and the job scheduler."""
