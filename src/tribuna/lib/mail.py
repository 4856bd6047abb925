"""The file email backend, private to the account that runs Tribuna.

Mail files hold confirmation, my-data and moderation links: anyone who can read them can act
as their recipients. Django's file backend creates them with the process umask (usually
world-readable), so this one creates the folder 0700 and each file 0600 from the start.
"""

from __future__ import annotations

import os

from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend

FILE_MODE = 0o600
FOLDER_MODE = 0o700


class PrivateFileBackend(DjangoFileBackend):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)  # creates the folder if missing
        os.chmod(self.file_path, FOLDER_MODE)

    def open(self) -> bool:
        if self.stream is not None:
            return False
        # O_CREAT with the mode, not open() then chmod: no moment when the file is readable by others.
        descriptor = os.open(self._get_filename(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
        self.stream = os.fdopen(descriptor, "ab")
        return True
