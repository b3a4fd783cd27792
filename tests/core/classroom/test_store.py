"""The classroom store on a real SQLite file and a real PostgreSQL: every rule a class relies on."""

import threading

import numpy as np
import pytest
from sqlalchemy import create_engine, text

from core.classroom import limits
from core.classroom.codes import CODE_ALPHABET, CODE_LENGTH
from core.classroom.errors import ClassroomError, StoreUnavailable
from core.classroom.records import RunReport
from core.classroom.store import NOT_TEACHER, ClassroomStore
from core.classroom.sweeps import LEARNING_RATES


def report(**changes) -> RunReport:
    values = dict(
        dataset="mnist", dataset_title="MNIST", family="softmax", model="Softmax regression",
        optimizer="SGD", learning_rate=0.5, batch_size=50, epochs=1, test_accuracy=0.9,
        seconds=2.5, settings={"train_learning_rate": "0.5"},
        curves={"loss": [2.3, 1.0, float("nan")], "val_accuracy": [np.float32(0.8)]},
    )  # fmt: skip
    values.update(changes)
    return RunReport(**values)


def opened(store, name="Period 3"):
    return store.create_class(name, session_key="teacher-session")


def test_a_class_gets_a_short_code_and_a_teacher_token_stored_only_as_a_hash(store, url):
    new = opened(store)
    assert len(new.classroom.code) == CODE_LENGTH
    assert set(new.classroom.code) <= set(CODE_ALPHABET)
    assert len(new.teacher_token) >= 40
    assert store.class_for_teacher(new.teacher_token).id == new.classroom.id
    engine = create_engine(url)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT teacher_token_hash FROM classrooms")).scalar()
        dump = " ".join(str(row) for row in connection.execute(text("SELECT * FROM classrooms")))
    engine.dispose()
    assert new.teacher_token not in dump
    assert stored != new.teacher_token and len(stored) == 64


def test_a_wrong_teacher_token_opens_nothing_and_controls_nothing(store):
    new = opened(store)
    other = opened(store, "Another class")
    with pytest.raises(ClassroomError, match="does not open any class"):
        store.class_for_teacher(new.teacher_token[:-1] + "x")
    for token in ("", None, other.teacher_token, new.teacher_token.upper()):
        with pytest.raises(ClassroomError, match=NOT_TEACHER):
            store.set_paused(new.classroom.id, token, True)
        with pytest.raises(ClassroomError, match=NOT_TEACHER):
            store.clear_board(new.classroom.id, token)
    assert not store.class_info(new.classroom.id).training_paused


def test_students_join_with_the_code_as_typed_and_duplicate_names_get_a_suffix(store):
    new = opened(store)
    code = new.classroom.code
    ann = store.join(code.lower(), "  Ann \n", session_key="s1")
    again = store.join(f"{code[:3]}-{code[3:]}", "ANN", session_key="s2")
    third = store.join(code, "ann", session_key="s3")
    assert (ann.name, again.name, third.name) == ("Ann", "ANN (2)", "ann (3)")
    assert store.board(new.classroom.id).students == ["Ann", "ANN (2)", "ann (3)"]


def test_names_are_plain_bounded_text(store):
    code = opened(store).classroom.code
    with pytest.raises(ClassroomError, match="at most"):
        store.join(code, "x" * (limits.MAX_DISPLAY_NAME_CHARS + 1), session_key="s")
    with pytest.raises(ClassroomError, match="Type a display name"):
        store.join(code, " \t\u200b ", session_key="s")
    joined = store.join(code, "Bob\x00\x1b[31m  <b>", session_key="s")
    assert joined.name == "Bob [31m <b>"  # control characters gone; the page shows it as text


def test_wrong_codes_are_rate_limited_per_session(store, clock):
    code = opened(store).classroom.code
    for _ in range(limits.MAX_FAILED_JOINS):
        with pytest.raises(ClassroomError, match="No class has the code"):
            store.join("ZZZZZZ", "Eve", session_key="guesser")
    with pytest.raises(ClassroomError, match="Too many wrong codes"):
        store.join(code, "Eve", session_key="guesser")  # even the right code waits
    assert store.join(code, "Eve", session_key="someone else").name == "Eve"
    clock.now += limits.FAILED_JOIN_WINDOW_SECONDS + 1
    assert store.join(code, "Eve", session_key="guesser").name == "Eve (2)"


def test_a_closed_class_rejects_joins_and_sends(store):
    new = opened(store)
    ann = store.join(new.classroom.code, "Ann", session_key="s")
    store.close_class(new.classroom.id, new.teacher_token)
    with pytest.raises(ClassroomError, match="closed"):
        store.join(new.classroom.code, "Bob", session_key="s2")
    with pytest.raises(ClassroomError, match="closed"):
        store.send_run(ann.member_id, report())


def test_a_sent_run_is_on_its_class_board_only(store):
    first, second = opened(store), opened(store, "Other")
    ann = store.join(first.classroom.code, "Ann", session_key="a")
    bob = store.join(second.classroom.code, "Bob", session_key="b")
    entry = store.send_run(ann.member_id, report(test_accuracy=0.91))
    store.send_drawing(ann.member_id, np.full((28, 28), 200, np.uint8), 7)
    board = store.board(first.classroom.id)
    assert [(row.student, row.test_accuracy) for row in board.entries] == [("Ann", 0.91)]
    assert board.drawings == 1
    other = store.board(second.classroom.id)
    assert other.entries == [] and other.drawings == 0 and other.students == ["Bob"]
    with pytest.raises(ClassroomError, match="no longer on the board"):
        store.entry_curves(second.classroom.id, entry)
    curves, settings = store.entry_curves(first.classroom.id, entry)
    assert curves == {"loss": [2.3, 1.0, None], "val_accuracy": [pytest.approx(0.8)]}
    assert settings == {"train_learning_rate": "0.5"}
    store.remove_entry(second.classroom.id, second.teacher_token, entry)  # another class's
    assert len(store.board(first.classroom.id).entries) == 1
    assert bob.class_id != ann.class_id


def test_each_student_limit_says_one_sentence(store, clock, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ENTRIES_PER_STUDENT", 2)
    monkeypatch.setattr(limits, "MAX_DRAWINGS_PER_STUDENT", 1)
    new = opened(store)
    ann = store.join(new.classroom.code, "Ann", session_key="s")
    for _ in range(2):
        store.send_run(ann.member_id, report())
    with pytest.raises(ClassroomError, match="You have 2 runs on the board"):
        store.send_run(ann.member_id, report())
    store.send_drawing(ann.member_id, np.zeros((28, 28)), 3)
    with pytest.raises(ClassroomError, match="You sent 1 drawings"):
        store.send_drawing(ann.member_id, np.zeros((28, 28)), 3)
    with pytest.raises(ClassroomError, match="28 x 28"):
        store.send_drawing(ann.member_id, np.zeros((10, 10)), 3)
    with pytest.raises(ClassroomError, match="digit you meant"):
        store.send_drawing(ann.member_id, np.zeros((28, 28)), 12)


def test_sends_are_rate_limited_and_the_board_is_bounded(store, clock, monkeypatch):
    monkeypatch.setattr(limits, "MAX_BOARD_ENTRIES", 3)
    new = opened(store)
    ann = store.join(new.classroom.code, "Ann", session_key="s")
    bob = store.join(new.classroom.code, "Bob", session_key="t")
    for _ in range(limits.MAX_SENDS_PER_MINUTE):
        store.send_drawing(ann.member_id, np.zeros((28, 28)), 1)
    with pytest.raises(ClassroomError, match="in the last minute"):
        store.send_run(ann.member_id, report())
    clock.now += limits.SEND_WINDOW_SECONDS + 1
    for _ in range(2):
        store.send_run(ann.member_id, report())
    store.send_run(bob.member_id, report())
    with pytest.raises(ClassroomError, match="The board is full"):
        store.send_run(bob.member_id, report())


def test_a_diverged_run_is_refused_with_a_sentence(store):
    new = opened(store)
    ann = store.join(new.classroom.code, "Ann", session_key="s")
    with pytest.raises(ClassroomError, match="diverged"):
        store.send_run(ann.member_id, report(test_accuracy=float("nan")))


def test_teacher_controls(store):
    new = opened(store)
    class_id, token = new.classroom.id, new.teacher_token
    ann = store.join(new.classroom.code, "Ann", session_key="s")
    entries = [store.send_run(ann.member_id, report(test_accuracy=a)) for a in (0.5, 0.7)]
    store.set_paused(class_id, token, True)
    assert store.class_info(class_id).training_paused
    store.remove_entry(class_id, token, entries[0])
    assert [row.id for row in store.board(class_id).entries] == [entries[1]]
    push = store.push_page(
        class_id, token, "gradient_descent", {"gd_lr": "1.01"}, "Gradient-descent lab, η = 1.01"
    )
    shown = store.board(class_id).push
    assert (shown.id, shown.page, shown.query) == (push, "gradient_descent", {"gd_lr": "1.01"})
    assert store.latest_push(class_id).description == "Gradient-descent lab, η = 1.01"
    store.clear_board(class_id, token)
    assert store.board(class_id).entries == []
    store.leave(ann.member_id)
    assert not store.is_member(ann.member_id)
    with pytest.raises(ClassroomError, match="not in a class"):
        store.send_run(ann.member_id, report())


def test_the_best_mnist_model_is_kept_once_per_class(store):
    new = opened(store)
    ann = store.join(new.classroom.code, "Ann", session_key="s")
    store.send_run(ann.member_id, report(test_accuracy=0.9, model_bytes=b"first"))
    store.send_run(ann.member_id, report(test_accuracy=0.8, model_bytes=b"worse"))
    store.send_run(
        ann.member_id, report(dataset="fashion_mnist", test_accuracy=0.99, model_bytes=b"fashion")
    )
    *_, model = store.handwriting_inputs(new.classroom.id, new.teacher_token)
    assert model[1] == b"first" and "90.0%" in model[0]
    store.send_run(ann.member_id, report(test_accuracy=0.95, model_bytes=b"better"))
    *_, model = store.handwriting_inputs(new.classroom.id, new.teacher_token)
    assert model[1] == b"better"


def test_a_sweep_spreads_values_over_the_class_and_tags_the_runs_that_answer_it(store):
    new = opened(store)
    class_id, token = new.classroom.id, new.teacher_token
    students = [store.join(new.classroom.code, f"S{n}", session_key=f"s{n}") for n in range(3)]
    sweep = store.start_sweep(class_id, token, "learning_rate", {"train_family": "mlp"})
    assert sweep.assigned == 3
    given = [store.assignment(student.member_id) for student in students]
    assert [a.value for a in given] == [LEARNING_RATES[0], LEARNING_RATES[-1], LEARNING_RATES[7]]
    assert given[1].query == {"train_family": "mlp", "train_learning_rate": "10"}
    late = store.join(new.classroom.code, "Late", session_key="late")
    assert store.assignment(late.member_id).position == 3
    store.send_run(students[1].member_id, report(learning_rate=10.0))
    store.send_run(students[1].member_id, report(learning_rate=0.5))  # not what was assigned
    tagged = [row.sweep_id for row in store.board(class_id).entries]
    assert tagged == [None, sweep.id]
    store.end_sweep(class_id, token)
    assert store.assignment(students[0].member_id) is None
    assert not store.board(class_id).sweep.active
    with pytest.raises(ClassroomError, match="varies one of"):
        store.start_sweep(class_id, token, "dropout", {})


def test_exports_hold_every_run_and_drawing(store):
    new = opened(store)
    ann = store.join(new.classroom.code, "=Ann", session_key="s")
    store.send_run(ann.member_id, report())
    store.send_drawing(ann.member_id, np.eye(28) * 255, 1)
    rows = store.export_rows(new.classroom.id, new.teacher_token)
    assert [row.student for row in rows] == ["=Ann"]
    images, labels, names = store.export_drawings(new.classroom.id, new.teacher_token)
    assert images.shape == (1, 28, 28) and images.dtype == np.uint8 and images[0, 3, 3] == 255
    assert labels.tolist() == [1] and names == ["=Ann"]
    with pytest.raises(ClassroomError, match=NOT_TEACHER):
        store.export_drawings(new.classroom.id, "guess")


def test_everything_survives_a_restart(url, clock):
    first = ClassroomStore(url, clock=clock)
    new = opened(first)
    ann = first.join(new.classroom.code, "Ann", session_key="s")
    first.send_run(ann.member_id, report())
    first.dispose()
    again = ClassroomStore(url, clock=clock)
    assert again.class_for_teacher(new.teacher_token).code == new.classroom.code
    assert [row.student for row in again.board(new.classroom.id).entries] == ["Ann"]
    again.dispose()


def test_two_students_taking_one_name_at_once_both_get_in(store):
    code = opened(store).classroom.code
    names, errors = [], []

    def join(number):
        try:
            names.append(store.join(code, "Sam", session_key=f"s{number}").name)
        except Exception as error:  # noqa: BLE001 - the test reports it
            errors.append(error)

    threads = [threading.Thread(target=join, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(names) == ["Sam", "Sam (2)", "Sam (3)", "Sam (4)"]


def test_an_unreachable_database_says_one_sentence(tmp_path):
    unreachable = ClassroomStore("postgresql+psycopg://nobody:secret@127.0.0.1:9/none")
    with pytest.raises(StoreUnavailable) as raised:
        unreachable.board(1)
    assert str(raised.value).count(".") == 1 and "secret" not in str(raised.value)
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        ClassroomStore(f"sqlite:///{broken}").create_class("A", session_key="s")


def test_a_student_comes_back_with_the_secret_their_browser_kept(store):
    new = opened(store)
    ann = store.join(new.classroom.code, "Ann", session_key="s")
    assert len(ann.secret) >= 40 and ann.secret not in repr(ann)
    back = store.rejoin(ann.secret)
    assert (back.member_id, back.name, back.class_id) == (ann.member_id, "Ann", ann.class_id)
    assert store.rejoin(ann.secret[:-1] + "x") is None
    bob = store.join(new.classroom.code, "Bob", session_key="t")
    store.leave(bob.member_id)
    assert store.rejoin(bob.secret) is None  # left for good
    store.close_class(new.classroom.id, new.teacher_token)
    assert store.rejoin(ann.secret) is None


def test_after_an_outage_the_store_answers_at_once_then_tries_again(store, monkeypatch):
    """A database that went away costs one wait, not one per page of every student."""
    from sqlalchemy.exc import OperationalError

    from core.classroom import store as store_module

    new = opened(store)
    calls = []
    working = store._sessions

    def down():
        calls.append(1)
        raise OperationalError("SELECT 1", {}, Exception("server closed the connection"))

    store._sessions = down
    for _ in range(3):
        with pytest.raises(StoreUnavailable):
            store.board(new.classroom.id)
    assert len(calls) == 1
    store._sessions = working
    with pytest.raises(StoreUnavailable):
        store.board(new.classroom.id)  # still within the pause
    monkeypatch.setattr(store_module, "RETRY_SECONDS", 0)
    assert store.board(new.classroom.id).classroom.name == "Period 3"
