"""The classroom store: classes, students, the board, and the teacher's controls.

    store = ClassroomStore()                          # DASHBOARD_DATABASE_URL or the SQLite file
    new = store.create_class("Period 3", session_key="...")
    new.classroom.code, new.teacher_token             # for the students / for the teacher link
    me = store.join(new.classroom.code, "Ann", session_key="...")
    store.send_run(me.member_id, report)
    store.board(me.class_id).entries

Every limit of core.classroom.limits is enforced here; what is refused raises
ClassroomError with one sentence for the page. Teacher actions take the teacher token and
compare its hash in constant time; without it they refuse. A database that cannot be
reached raises StoreUnavailable (a ClassroomError), and the next call tries again.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable

import numpy as np
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from core.classroom import limits
from core.classroom.codes import (
    clean_text,
    name_key,
    new_join_code,
    new_teacher_token,
    normalise_code,
    token_hash,
    token_matches,
    with_suffix,
)
from core.classroom.database import database_url, make_engine, upgrade
from core.classroom.errors import ClassroomError, StoreUnavailable
from core.classroom.models import (
    Assignment,
    BestModel,
    Classroom,
    Drawing,
    Entry,
    FailedJoin,
    Member,
    Push,
    Sweep,
)
from core.classroom.records import Assignment as AssignmentRecord
from core.classroom.records import (
    Board,
    BoardEntry,
    ClassInfo,
    Membership,
    NewClass,
    PushInfo,
    RunReport,
    SweepInfo,
    bounded_curves,
    bounded_settings,
)
from core.classroom.sweeps import VARIABLES, values_in_hand_out_order, variable_for

UNREACHABLE = (
    "The class database cannot be reached right now, so class features wait; "
    "everything else works and nothing in your session is lost."
)
RETRY_SECONDS = 10  # a database that failed to open is tried again after this long
NOT_TEACHER = "Only the teacher's link can do that."
ENTRY_COLUMNS = (
    Entry.id, Member.name, Entry.dataset, Entry.dataset_title, Entry.family, Entry.model,
    Entry.optimizer, Entry.learning_rate, Entry.batch_size, Entry.epochs, Entry.test_accuracy,
    Entry.seconds, Entry.sweep_id, Entry.created_at,
)  # fmt: skip


def reachable(method: Callable) -> Callable:
    """A database failure inside `method` becomes StoreUnavailable's one sentence.

    After a failure the store answers that sentence at once for RETRY_SECONDS instead of
    letting every page of every student wait for the database's connect timeout.
    """

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_SECONDS:
            raise StoreUnavailable(UNREACHABLE)
        try:
            result = method(self, *args, **kwargs)
        except StoreUnavailable:
            raise
        except ClassroomError:
            self._failed_at = None  # the database answered: a refusal is not an outage
            raise
        except SQLAlchemyError as error:
            self._failed(error)
            raise StoreUnavailable(UNREACHABLE) from error
        self._failed_at = None
        return result

    return wrapper


class ClassroomStore:
    def __init__(self, url: str | None = None, clock: Callable[[], float] = time.time):
        self.url = url or database_url()
        self.clock = clock
        self.last_failure: str | None = None  # for logs and tests, never for students
        self._sessions: sessionmaker[Session] | None = None
        self._failed_at: float | None = None
        self._lock = threading.Lock()

    # --- the database ---------------------------------------------------------------------

    def _session(self) -> Session:
        """A session on a migrated database (migrated on the first call of the process)."""
        with self._lock:
            if self._sessions is None:
                try:
                    engine = make_engine(self.url)
                    upgrade(engine)
                except Exception as error:  # unreachable, refused, a broken file ...
                    self._failed(error)
                    raise StoreUnavailable(UNREACHABLE) from error
                self._sessions = sessionmaker(engine, expire_on_commit=False)
            return self._sessions()

    def _failed(self, error: Exception) -> None:
        self._failed_at = time.monotonic()
        self.last_failure = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"

    def dispose(self) -> None:
        with self._lock:
            if self._sessions is not None:
                self._sessions.kw["bind"].dispose()
            self._sessions = None

    # --- classes ---------------------------------------------------------------------------

    @reachable
    def create_class(self, name: str, session_key: str) -> NewClass:
        name = clean_text(name, limits.MAX_CLASS_NAME_CHARS, "class name")
        now = self.clock()
        with self._session() as session, session.begin():
            since = now - limits.CLASS_CREATION_WINDOW_SECONDS
            mine = (Classroom.created_by == session_key[:64], Classroom.created_at > since)
            opened = _count(session, Classroom, *mine)
            if opened >= limits.MAX_CLASSES_PER_SESSION:
                raise ClassroomError(
                    f"This browser has opened {opened} classes in the last hour; "
                    "use one of them or try again later."
                )
            open_now = _count(session, Classroom, Classroom.closed.is_(False))
            if open_now >= limits.MAX_OPEN_CLASSES:
                raise ClassroomError(
                    f"This server has {open_now} open classes, its limit: close old ones first."
                )
        for _ in range(20):  # a code already in use is drawn again
            token = new_teacher_token()
            row = Classroom(
                code=new_join_code(), name=name, teacher_token_hash=token_hash(token),
                created_at=now, created_by=session_key[:64], closed=False, training_paused=False,
            )  # fmt: skip
            try:
                with self._session() as session, session.begin():
                    session.add(row)
            except IntegrityError:
                continue
            return NewClass(ClassInfo(row.id, row.code, row.name, False, False, 0), token)
        raise ClassroomError("No free join code was found; try again.")

    @reachable
    def class_for_teacher(self, token: str) -> ClassInfo:
        """The class a teacher link opens; refused for any other token."""
        with self._session() as session:
            row = session.scalar(
                select(Classroom).where(Classroom.teacher_token_hash == token_hash(token))
            )
            if row is None or not token_matches(token, row.teacher_token_hash):
                raise ClassroomError("This teacher link does not open any class.")
            return self._info(session, row)

    @reachable
    def class_info(self, class_id: int) -> ClassInfo:
        with self._session() as session:
            return self._info(session, self._class(session, class_id))

    def _class(self, session: Session, class_id: int) -> Classroom:
        row = session.get(Classroom, class_id)
        if row is None:
            raise ClassroomError("This class no longer exists.")
        return row

    def _info(self, session: Session, row: Classroom) -> ClassInfo:
        members = _active_members(session, row.id)
        return ClassInfo(row.id, row.code, row.name, row.closed, row.training_paused, members)

    def _teacher_class(self, session: Session, class_id: int, token: str) -> Classroom:
        row = self._class(session, class_id)
        if not token or not token_matches(str(token), row.teacher_token_hash):
            raise ClassroomError(NOT_TEACHER)
        return row

    # --- students --------------------------------------------------------------------------

    @reachable
    def join(self, code: str, display_name: str, session_key: str) -> Membership:
        """Join the open class with this code; a session that typed wrong codes must wait."""
        for _ in range(5):  # two students taking the same name at the same instant
            try:
                return self._join(code, display_name, session_key)
            except IntegrityError:
                continue
        return self._join(code, display_name, session_key)

    def _join(self, code: str, display_name: str, session_key: str) -> Membership:
        now = self.clock()
        name = clean_text(display_name, limits.MAX_DISPLAY_NAME_CHARS, "display name")
        code = normalise_code(code)
        with self._session() as session, session.begin():
            since = now - limits.FAILED_JOIN_WINDOW_SECONDS
            recent = (FailedJoin.session_key == session_key[:64], FailedJoin.at > since)
            if (failures := _count(session, FailedJoin, *recent)) >= limits.MAX_FAILED_JOINS:
                raise ClassroomError(
                    f"Too many wrong codes: wait {limits.FAILED_JOIN_WINDOW_SECONDS // 60} "
                    "minutes, then check the code on the board."
                )
            row = session.scalar(select(Classroom).where(Classroom.code == code)) if code else None
            if row is None:
                session.add(FailedJoin(session_key=session_key[:64], at=now))
            elif row.closed:
                raise ClassroomError(f"The class {row.name} is closed: it takes no new students.")
            else:
                member = self._new_member(session, row, name, now)
        if row is None:  # the failure is committed above: it counts for the next try
            left = limits.MAX_FAILED_JOINS - failures - 1
            raise ClassroomError(
                f"No class has the code {code[:12] or '(empty)'}: check it on the board "
                f"({left} tr{'y' if left == 1 else 'ies'} left for now)."
            )
        return Membership(row.id, member.id, member.name, row.name, row.code, member.secret)

    def _new_member(self, session: Session, row: Classroom, name: str, now: float) -> Member:
        """A student in the class under `name`, or `name (2)` ... when it is taken."""
        taken = session.scalars(select(Member.name_key).where(Member.classroom_id == row.id)).all()
        active = _active_members(session, row.id)
        if active >= limits.MAX_MEMBERS:
            raise ClassroomError(f"The class {row.name} is full ({limits.MAX_MEMBERS} students).")
        shown = with_suffix(name, set(taken), limits.MAX_DISPLAY_NAME_CHARS + 5)
        secret = new_teacher_token()  # the same strength: it stands for the student
        member = Member(
            classroom_id=row.id, name=shown, name_key=name_key(shown), joined_at=now, active=True,
            secret_hash=token_hash(secret),
        )  # fmt: skip
        session.add(member)
        session.flush()
        member.secret = secret  # handed out once, never stored
        return member

    @reachable
    def rejoin(self, secret: str) -> Membership | None:
        """The student whose browser kept this secret, if still in an open class."""
        with self._session() as session:
            member = session.scalar(select(Member).where(Member.secret_hash == token_hash(secret)))
            if member is None or not token_matches(secret, member.secret_hash) or not member.active:
                return None
            row = session.get(Classroom, member.classroom_id)
            if row.closed:
                return None
            return Membership(row.id, member.id, member.name, row.name, row.code, secret)

    @reachable
    def leave(self, member_id: int) -> None:
        with self._session() as session, session.begin():
            session.execute(update(Member).where(Member.id == member_id).values(active=False))

    @reachable
    def is_member(self, member_id: int) -> bool:
        with self._session() as session:
            return bool(session.scalar(select(Member.active).where(Member.id == member_id)))

    def _sender(self, session: Session, member_id: int) -> tuple[Member, Classroom]:
        """The student and class of a send, after the checks every send shares."""
        member = session.get(Member, member_id)
        if member is None or not member.active:
            raise ClassroomError("You are not in a class any more: join again with the code.")
        row = session.get(Classroom, member.classroom_id)
        if row.closed:
            raise ClassroomError(f"The class {row.name} is closed: the board takes nothing new.")
        since = self.clock() - limits.SEND_WINDOW_SECONDS
        recent = sum(
            _count(session, table, table.member_id == member_id, table.created_at > since)
            for table in (Entry, Drawing)
        )
        if recent >= limits.MAX_SENDS_PER_MINUTE:
            raise ClassroomError(
                f"You sent {recent} things in the last minute, the limit: wait a moment and send again."
            )
        return member, row

    @reachable
    def send_run(self, member_id: int, report: RunReport) -> int:
        """Put a finished run on the class board; returns its entry's id."""
        settings = bounded_settings(report.settings)
        curves = bounded_curves(report.curves)
        if report.model_bytes is not None and len(report.model_bytes) > limits.MAX_MODEL_BYTES:
            report = _without_model(report)
        with self._session() as session, session.begin():
            member, row = self._sender(session, member_id)
            mine = _count(session, Entry, Entry.member_id == member_id)
            if mine >= limits.MAX_ENTRIES_PER_STUDENT:
                raise ClassroomError(
                    f"You have {mine} runs on the board, the most one student may: "
                    "ask your teacher to remove one."
                )
            total = _count(session, Entry, Entry.classroom_id == row.id)
            if total >= limits.MAX_BOARD_ENTRIES:
                raise ClassroomError(
                    f"The board is full ({total} runs): ask your teacher to clear it."
                )
            entry = Entry(
                classroom_id=row.id, member_id=member_id, created_at=self.clock(),
                sweep_id=self._sweep_of(session, row.id, member_id, report),
                dataset=report.dataset[:24], dataset_title=_label(report.dataset_title),
                family=report.family[:24], model=_label(report.model), optimizer=_label(report.optimizer),
                learning_rate=_finite(report.learning_rate, "learning rate"),
                batch_size=int(report.batch_size), epochs=int(report.epochs),
                test_accuracy=_finite(report.test_accuracy, "test accuracy"),
                seconds=_finite(report.seconds, "training time"), settings=settings, curves=curves,
            )  # fmt: skip
            session.add(entry)
            session.flush()
            if report.model_bytes is not None and report.dataset == "mnist":
                self._keep_if_best(session, row.id, entry, member.name, report.model_bytes)
            return entry.id

    def _keep_if_best(self, session, class_id: int, entry: Entry, student: str, model_bytes: bytes):
        best = session.get(BestModel, class_id)
        if best is not None and best.test_accuracy >= entry.test_accuracy:
            return
        label = f"{student}'s {entry.model} ({entry.test_accuracy:.1%} on MNIST)"[:160]
        if best is None:
            session.add(BestModel(classroom_id=class_id, entry_id=entry.id,
                                  test_accuracy=entry.test_accuracy, label=label, model_bytes=model_bytes))  # fmt: skip
        else:
            best.entry_id, best.test_accuracy, best.label = entry.id, entry.test_accuracy, label
            best.model_bytes = model_bytes

    @reachable
    def send_drawing(self, member_id: int, pixels: np.ndarray, label: int) -> int:
        """Keep a 28x28 uint8 model input with the digit the student meant."""
        pixels = np.asarray(pixels)
        if pixels.shape != (28, 28):
            raise ClassroomError(f"A drawing must be 28 x 28 pixels, not {pixels.shape}.")
        if not (isinstance(label, int | np.integer) and 0 <= int(label) <= 9):
            raise ClassroomError("Choose the digit you meant (0 to 9) first.")
        data = np.clip(pixels, 0, 255).astype(np.uint8).tobytes()
        with self._session() as session, session.begin():
            _, row = self._sender(session, member_id)
            mine = _count(session, Drawing, Drawing.member_id == member_id)
            if mine >= limits.MAX_DRAWINGS_PER_STUDENT:
                raise ClassroomError(f"You sent {mine} drawings, the most one student may.")
            total = _count(session, Drawing, Drawing.classroom_id == row.id)
            if total >= limits.MAX_CLASS_DRAWINGS:
                raise ClassroomError(f"The class has {total} drawings, its limit.")
            drawing = Drawing(classroom_id=row.id, member_id=member_id, created_at=self.clock(),
                              label=int(label), pixels=data)  # fmt: skip
            session.add(drawing)
            session.flush()
            return drawing.id

    # --- reading the board -----------------------------------------------------------------

    @reachable
    def board(self, class_id: int) -> Board:
        """Everything the board page draws, in a handful of queries."""
        with self._session() as session:
            row = self._class(session, class_id)
            entries = [
                BoardEntry(*values)
                for values in session.execute(
                    select(*ENTRY_COLUMNS)
                    .join(Member, Member.id == Entry.member_id)
                    .where(Entry.classroom_id == class_id)
                    .order_by(Entry.id.desc())
                    .limit(limits.MAX_BOARD_ENTRIES)
                )
            ]
            students = session.scalars(
                select(Member.name)
                .where(Member.classroom_id == class_id, Member.active)
                .order_by(Member.id)
            ).all()
            push = session.scalar(
                select(Push).where(Push.classroom_id == class_id).order_by(Push.id.desc()).limit(1)
            )
            drawings = _count(session, Drawing, Drawing.classroom_id == class_id)
            return Board(
                ClassInfo(
                    row.id, row.code, row.name, row.closed, row.training_paused, len(students)
                ),
                entries,
                _push_info(push),
                self._latest_sweep(session, class_id),
                drawings,
                row.handwriting,
                list(students),
            )

    @reachable
    def entry_curves(self, class_id: int, entry_id: int) -> tuple[dict, dict]:
        """A board entry's curves and settings (its studio link's parameters)."""
        with self._session() as session:
            entry = session.get(Entry, entry_id)
            if entry is None or entry.classroom_id != class_id:
                raise ClassroomError("That run is no longer on the board.")
            return dict(entry.curves), dict(entry.settings)

    @reachable
    def latest_push(self, class_id: int) -> PushInfo | None:
        with self._session() as session:
            return _push_info(
                session.scalar(
                    select(Push)
                    .where(Push.classroom_id == class_id)
                    .order_by(Push.id.desc())
                    .limit(1)
                )
            )

    @reachable
    def drawings_by_id(self, class_id: int, ids: list[int]) -> dict[int, np.ndarray]:
        with self._session() as session:
            rows = session.execute(
                select(Drawing.id, Drawing.pixels).where(
                    Drawing.classroom_id == class_id, Drawing.id.in_(ids[:100])
                )
            )
            return {id_: _image(pixels) for id_, pixels in rows}

    # --- class experiments -----------------------------------------------------------------

    def _latest_sweep(self, session: Session, class_id: int) -> SweepInfo | None:
        sweep = session.scalar(
            select(Sweep).where(Sweep.classroom_id == class_id).order_by(Sweep.id.desc()).limit(1)
        )
        if sweep is None:
            return None
        assigned = _count(session, Assignment, Assignment.sweep_id == sweep.id)
        return SweepInfo(
            sweep.id, sweep.variable, list(sweep.values), dict(sweep.base), sweep.active, assigned
        )

    @reachable
    def assignment(self, member_id: int) -> AssignmentRecord | None:
        """The member's value in the class's running experiment (handed out on first ask)."""
        with self._session() as session, session.begin():
            member = session.get(Member, member_id)
            if member is None or not member.active:
                return None
            sweep = session.scalar(
                select(Sweep)
                .where(Sweep.classroom_id == member.classroom_id, Sweep.active)
                .order_by(Sweep.id.desc())
                .limit(1)
            )
            if sweep is None:
                return None
            given = session.scalar(
                select(Assignment).where(
                    Assignment.sweep_id == sweep.id, Assignment.member_id == member_id
                )
            )
            if given is None:
                given = self._assign(session, sweep, member_id)
            return _assignment_record(sweep, given.position)

    def _assign(self, session: Session, sweep: Sweep, member_id: int) -> Assignment:
        count = _count(session, Assignment, Assignment.sweep_id == sweep.id)
        given = Assignment(sweep_id=sweep.id, member_id=member_id, position=count)
        session.add(given)
        session.flush()
        return given

    def _sweep_of(
        self, session: Session, class_id: int, member_id: int, report: RunReport
    ) -> int | None:
        """The running experiment this run answers: the value tried is the one assigned."""
        found = session.execute(
            select(Sweep, Assignment.position)
            .join(Assignment, Assignment.sweep_id == Sweep.id)
            .where(Sweep.classroom_id == class_id, Sweep.active, Assignment.member_id == member_id)
            .order_by(Sweep.id.desc())
            .limit(1)
        ).first()
        if found is None:
            return None
        sweep, position = found
        value = sweep.values[position % len(sweep.values)]
        tried = {
            "learning_rate": report.learning_rate,
            "batch_size": report.batch_size,
            "model": report.family,
        }
        return sweep.id if tried[sweep.variable] == value else None

    # --- the teacher's controls ------------------------------------------------------------

    @reachable
    def push_page(
        self, class_id: int, token: str, page: str, query: dict[str, str], description: str
    ) -> int:
        query = bounded_settings(query, "page's settings")
        description = clean_text(description, limits.MAX_PUSH_DESCRIPTION_CHARS, "description")
        with self._session() as session, session.begin():
            self._teacher_class(session, class_id, token)
            push = Push(classroom_id=class_id, created_at=self.clock(), page=str(page)[:40],
                        query=query, description=description)  # fmt: skip
            session.add(push)
            session.flush()
            return push.id

    @reachable
    def set_paused(self, class_id: int, token: str, paused: bool) -> None:
        with self._session() as session, session.begin():
            self._teacher_class(session, class_id, token).training_paused = bool(paused)

    @reachable
    def remove_entry(self, class_id: int, token: str, entry_id: int) -> None:
        with self._session() as session, session.begin():
            self._teacher_class(session, class_id, token)
            session.execute(
                delete(BestModel).where(
                    BestModel.entry_id == entry_id, BestModel.classroom_id == class_id
                )
            )
            session.execute(
                delete(Entry).where(Entry.id == entry_id, Entry.classroom_id == class_id)
            )

    @reachable
    def clear_board(self, class_id: int, token: str) -> None:
        """Every run off the board (the drawings stay for the handwriting test)."""
        with self._session() as session, session.begin():
            self._teacher_class(session, class_id, token)
            session.execute(delete(BestModel).where(BestModel.classroom_id == class_id))
            session.execute(delete(Entry).where(Entry.classroom_id == class_id))

    @reachable
    def close_class(self, class_id: int, token: str) -> None:
        with self._session() as session, session.begin():
            row = self._teacher_class(session, class_id, token)
            row.closed = True
            session.execute(
                update(Sweep).where(Sweep.classroom_id == class_id).values(active=False)
            )

    @reachable
    def start_sweep(
        self, class_id: int, token: str, variable: str, base: dict[str, str]
    ) -> SweepInfo:
        """A new class experiment: every student in the class gets a value at once."""
        values = values_in_hand_out_order(variable)
        base = bounded_settings(base, "experiment's settings")
        base.pop(variable_for(variable).setting, None)
        with self._session() as session, session.begin():
            self._teacher_class(session, class_id, token)
            session.execute(
                update(Sweep).where(Sweep.classroom_id == class_id).values(active=False)
            )
            sweep = Sweep(classroom_id=class_id, created_at=self.clock(), variable=variable,
                          values=values, base=base, active=True)  # fmt: skip
            session.add(sweep)
            session.flush()
            members = session.scalars(
                select(Member.id)
                .where(Member.classroom_id == class_id, Member.active)
                .order_by(Member.id)
            ).all()
            for position, member_id in enumerate(members):
                session.add(Assignment(sweep_id=sweep.id, member_id=member_id, position=position))
            return SweepInfo(sweep.id, variable, values, base, True, len(members))

    @reachable
    def end_sweep(self, class_id: int, token: str) -> None:
        with self._session() as session, session.begin():
            self._teacher_class(session, class_id, token)
            session.execute(
                update(Sweep).where(Sweep.classroom_id == class_id).values(active=False)
            )

    @reachable
    def handwriting_inputs(self, class_id: int, token: str):
        """The class's drawings (ids, images, labels) and its best MNIST model, for the test."""
        with self._session() as session:
            self._teacher_class(session, class_id, token)
            rows = session.execute(
                select(Drawing.id, Drawing.pixels, Drawing.label)
                .where(Drawing.classroom_id == class_id)
                .order_by(Drawing.id)
            ).all()
            best = session.get(BestModel, class_id)
            images = (
                np.stack([_image(pixels) for _, pixels, _ in rows])
                if rows
                else np.zeros((0, 28, 28), np.uint8)
            )
            labels = np.array([label for _, _, label in rows], dtype=np.int64)
            model = (best.label, bytes(best.model_bytes)) if best is not None else None
            return [id_ for id_, _, _ in rows], images, labels, model

    @reachable
    def save_handwriting(self, class_id: int, token: str, result: dict) -> None:
        from core.classroom.records import json_safe

        with self._session() as session, session.begin():
            self._teacher_class(session, class_id, token).handwriting = json_safe(result)

    @reachable
    def export_rows(self, class_id: int, token: str) -> list[BoardEntry]:
        with self._session() as session:
            self._teacher_class(session, class_id, token)
        return list(reversed(self.board(class_id).entries))

    @reachable
    def export_drawings(
        self, class_id: int, token: str
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """(N, 28, 28) uint8 images, (N,) labels, and who drew each, oldest first."""
        with self._session() as session:
            self._teacher_class(session, class_id, token)
            rows = session.execute(
                select(Drawing.pixels, Drawing.label, Member.name)
                .join(Member, Member.id == Drawing.member_id)
                .where(Drawing.classroom_id == class_id)
                .order_by(Drawing.id)
            ).all()
        images = (
            np.stack([_image(pixels) for pixels, _, _ in rows])
            if rows
            else np.zeros((0, 28, 28), np.uint8)
        )
        return (
            images,
            np.array([label for _, label, _ in rows], dtype=np.int64),
            [name for _, _, name in rows],
        )


def _count(session: Session, table, *conditions) -> int:
    return session.scalar(select(func.count()).select_from(table).where(*conditions))


def _active_members(session: Session, class_id: int) -> int:
    return _count(session, Member, Member.classroom_id == class_id, Member.active)


def _image(pixels: bytes) -> np.ndarray:
    return np.frombuffer(bytes(pixels), dtype=np.uint8).reshape(28, 28).copy()


def _push_info(push: Push | None) -> PushInfo | None:
    if push is None:
        return None
    return PushInfo(push.id, push.page, dict(push.query), push.description, push.created_at)


def _assignment_record(sweep: Sweep, position: int) -> AssignmentRecord:
    variable = VARIABLES[sweep.variable]
    value = sweep.values[position % len(sweep.values)]
    text = f"{float(value):.10g}" if isinstance(value, float) else str(value)
    query = {**sweep.base, variable.setting: text}
    return AssignmentRecord(sweep.id, sweep.variable, value, query, position)


def _label(text: str) -> str:
    return " ".join(str(text).split())[: limits.MAX_LABEL_CHARS]


def _finite(value: float, what: str) -> float:
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ClassroomError(f"This run has no {what} to show (it diverged): train it again.")
    return value


def _without_model(report: RunReport) -> RunReport:
    from dataclasses import replace

    return replace(report, model_bytes=None)
