"""Every bound the classroom keeps, in one place: a class is full of curious people.

Each is enforced by the store (core.classroom.store), which says one sentence when a
limit is reached; the pages only show that sentence.
"""

from __future__ import annotations

MAX_CLASS_NAME_CHARS = 60
MAX_DISPLAY_NAME_CHARS = 24
MAX_MEMBERS = 120  # students in one class (a lecture hall, not the internet)
MAX_OPEN_CLASSES = 500  # classes open at once on one database
MAX_ENTRIES_PER_STUDENT = 20  # runs one student keeps on the board
MAX_BOARD_ENTRIES = 600  # runs on one board (30 students x 20)
MAX_DRAWINGS_PER_STUDENT = 50
MAX_CLASS_DRAWINGS = 3_000
MAX_SENDS_PER_MINUTE = 12  # runs and drawings a student sends in any 60 seconds
SEND_WINDOW_SECONDS = 60
MAX_FAILED_JOINS = 5  # wrong codes a session may type ...
FAILED_JOIN_WINDOW_SECONDS = 300  # ... in this many seconds before it must wait
MAX_CLASSES_PER_SESSION = 5  # classes one browser session may open in an hour
CLASS_CREATION_WINDOW_SECONDS = 3_600
MAX_CURVE_POINTS = 400  # points kept per curve of a sent run
MAX_SETTINGS_CHARS = 4_000  # a run's settings or a push's link, as JSON
MAX_PUSH_DESCRIPTION_CHARS = 200
MAX_MODEL_BYTES = 20_000_000  # the class's best model, kept for the handwriting test
MAX_LABEL_CHARS = 60  # a data set, model or optimizer title on the board
