"""The class board and the class in every page, through the real app (AppTest), one session
per person, on a real database."""

import numpy as np
import pytest

from core.classroom.database import URL_VARIABLE
from core.classroom.records import RunReport
from dashboard import classroom
from dashboard.text import plain
from tests.conftest import ROOT
from tests.pages.class_board.conftest import (
    BOARD,
    STUDIO,
    code_of,
    join,
    ok,
    open_app,
    open_class,
    press,
    texts,
)

GRADIENT_DESCENT = str(ROOT / "pages" / "gradient_descent" / "page.py")


def a_run(accuracy=0.9, learning_rate=0.5, family="softmax") -> RunReport:
    return RunReport(
        "mnist", "MNIST", family, "Softmax regression", "SGD", learning_rate, 50, 1, accuracy,
        2.0, {"train_learning_rate": str(learning_rate)}, {"epoch": [1], "epoch_val_accuracy": [accuracy]},
    )  # fmt: skip


def with_link(token: str):
    """A new tab that opens class_board?teacher=<token>."""
    app = open_app()
    app.query_params["teacher"] = token
    return app.run()


def leaderboard(app):
    return app.dataframe(key="class_leaderboard").value


def test_without_a_class_every_page_is_as_before_and_the_board_offers_to_open_one():
    app = open_app()
    assert "Open a class" in texts(app.header)
    assert "Teacher controls" not in texts(app.subheader)
    studio = open_app(STUDIO)
    assert [item.label for item in studio.button if "class" in item.label.lower()] == []


def test_opening_a_class_gives_a_code_and_a_private_teacher_link(class_database):
    teacher = open_class()
    code = code_of(teacher)
    assert f"**{code}**" in texts(teacher.success)
    assert "Teacher controls" in texts(teacher.subheader)
    [link] = [block.value for block in teacher.code]
    token = teacher.session_state["class_teacher"].token
    assert link.endswith(f"/class_board?teacher={token}")
    assert token not in str(dict(teacher.query_params))
    assert class_database.exists()  # created on first use


def test_the_teacher_link_moves_into_the_session_and_out_of_the_url():
    token = open_class().session_state["class_teacher"].token
    again = with_link(token)  # another tab, later
    ok(again)
    assert "teacher" not in again.query_params
    assert "Teacher controls" in texts(again.subheader)
    wrong = with_link(token[:-2] + "xx")
    assert plain("This teacher link does not open any class.") in texts(wrong.error)
    assert "teacher" not in wrong.query_params
    assert "Teacher controls" not in texts(wrong.subheader)


def test_a_student_joins_from_the_sidebar_sees_the_board_and_leaves():
    teacher = open_class()
    code = code_of(teacher)
    hostile = "**Ann** [x](http://e)"
    ann = join(code.lower(), hostile)
    captions = texts(ann.sidebar.caption)
    assert "Period 3" in captions and f"you are **{plain(hostile)}**" in captions
    second = join(code, hostile.upper())
    assert f"you are **{plain(hostile.upper() + ' (2)')}**" in texts(second.sidebar.caption)
    ann.switch_page(BOARD).run()
    ok(ann)
    assert code in [metric.value for metric in ann.metric]
    assert "Teacher controls" not in texts(ann.subheader)
    press(ann, "Leave the class")
    assert (
        ann.session_state["class_membership"] is None
        if "class_membership" in ann.session_state
        else True
    )
    assert "Join a class" in [expander.label for expander in ann.sidebar.expander]
    teacher.run()
    students = [metric.value for metric in teacher.metric if metric.label == "Students"]
    assert students == ["1"]


def test_a_wrong_code_and_a_closed_class_are_refused_in_one_sentence():
    teacher = open_class()
    student = join("NOPE00", "Bob")
    sentence = "No class has the code NOPE00: check it on the board (4 tries left for now)."
    assert plain(sentence) in texts(student.sidebar.error)
    press(teacher, "Close the class (no one can join)")
    late = join(code_of(teacher), "Late")
    assert plain("The class Period 3 is closed: it takes no new students.") in texts(
        late.sidebar.error
    )


def test_runs_sent_by_students_are_on_the_board_best_first():
    teacher = open_class()
    code = code_of(teacher)
    for name, accuracy in (("Ann", 0.81), ("Bob", 0.93)):
        member = classroom.store().join(code, name, session_key=name)
        classroom.store().send_run(member.member_id, a_run(accuracy))
    teacher.run()
    table = leaderboard(teacher)
    assert list(table["student"]) == ["Bob", "Ann"]
    assert list(table["test accuracy"]) == [0.93, 0.81]
    assert [metric.value for metric in teacher.metric if metric.label == "Runs"] == ["2"]


def test_a_push_reaches_every_page_of_a_student_and_opens_with_its_settings():
    teacher = open_class()
    ann = join(code_of(teacher), "Ann", page=None)
    teacher.text_input(key="class_share_link").input(
        "http://x:8501/gradient_descent?gd_lr=1.01"
    ).run()
    ok(teacher)
    assert "Students will see: Your teacher shared: Gradient" in texts(teacher.caption)
    press(teacher, "Share with the class")
    ann.run()
    ok(ann)
    shared = plain("Gradient-descent lab, learning rate η = 1.01")
    assert f"Your teacher shared: **{shared}**" in texts(ann.markdown)
    press(ann, "Open")
    assert ann.session_state["gd_lr"] == 1.01
    assert "Your teacher shared" not in texts(ann.markdown)  # opened: the banner goes


def test_a_pasted_link_that_does_not_fit_is_refused_with_the_pages_own_sentence():
    teacher = open_class()
    teacher.text_input(key="class_share_link").input("gradient_descent?gd_lr=banana").run()
    ok(teacher)
    assert plain("(gd_lr='banana') is not a number; using 0.1.") in texts(teacher.error)
    assert "Share with the class" not in [item.label for item in teacher.button]
    teacher.text_input(key="class_share_link").input("http://x/no_such_page?a=1").run()
    assert "does not open a page of this app" in texts(teacher.error)


def test_paused_training_refuses_train_with_one_sentence():
    teacher = open_class()
    ann = join(code_of(teacher), "Ann", page=STUDIO)
    press(teacher, "Pause training")
    assert "Training is paused for the class by the teacher." in texts(teacher.warning)
    ann.button(key="train_start").click().run()
    ok(ann)
    assert (
        "Your teacher has paused training for the class: wait until it is allowed again."
        in texts(ann.warning)
    )
    assert "train_job" not in ann.session_state
    press(teacher, "Allow training")
    assert "Training is paused" not in texts(teacher.warning)


def test_a_class_experiment_opens_each_studio_on_its_value_with_a_banner():
    teacher = open_class()
    students = [join(code_of(teacher), name, page=None) for name in ("Ann", "Bob")]
    teacher.radio(key="class_sweep_variable").set_value("learning_rate").run()
    press(teacher, "Start the experiment")
    rates = []
    for student in students:
        student.switch_page(STUDIO).run()
        ok(student)
        assert "Class experiment: you are testing **learning rate" in texts(student.info)
        rates.append(student.session_state["train_learning_rate"])
    assert rates == [1e-4, 10.0]
    students[0].session_state["train_learning_rate"] = 0.5  # a student may change it after
    students[0].run()
    assert students[0].session_state["train_learning_rate"] == 0.5
    member = students[1].session_state["class_membership"]
    classroom.store().send_run(member.member_id, a_run(0.11, learning_rate=10.0))
    teacher.run()
    ok(teacher)
    assert "1 result; waiting for 0.0001." in texts(teacher.caption)


def test_teacher_controls_cannot_be_reached_from_a_student_session():
    teacher = open_class()
    code = code_of(teacher)
    ann = join(code, "Ann", page=BOARD)
    assert "class_teacher" not in ann.session_state
    labels = [item.label for item in ann.button]
    for control in ("Pause training", "Share with the class", "Start the experiment"):
        assert control not in labels
    forged = with_link(code)  # the join code is no token
    assert plain("This teacher link does not open any class.") in texts(forged.error)
    member = ann.session_state["class_membership"]
    with pytest.raises(classroom.ClassroomError, match="Only the teacher's link"):
        classroom.store().set_paused(member.class_id, code, True)


def test_the_teacher_removes_a_run_and_clears_the_board():
    teacher = open_class()
    member = classroom.store().join(code_of(teacher), "Ann", session_key="a")
    for accuracy in (0.5, 0.6):
        classroom.store().send_run(member.member_id, a_run(accuracy))
    teacher.run()
    press(teacher, "Remove this run")
    assert len(leaderboard(teacher)) == 1
    press(teacher, "Clear every run from the board")
    assert "No runs yet" in texts(teacher.info)
    labels = [item.label for item in teacher.get("download_button")]
    assert labels == ["Export the board (CSV)", "Export 0 drawings (.npz)"]


def test_an_unreachable_database_costs_one_sentence_on_the_class_pages_only(monkeypatch):
    monkeypatch.setenv(URL_VARIABLE, "postgresql+psycopg://nobody:secret@127.0.0.1:9/none")
    board = open_app()
    board.text_input(key="class_open_name").input("Period 3")
    press(board, "Open the class")
    assert "The class database cannot be reached right now" in texts(board.error)
    assert "secret" not in texts(board.error)
    student = join("ABCDEF", "Ann", page=None)
    assert "The class database cannot be reached right now" in texts(student.sidebar.error)
    student.switch_page(STUDIO).run()
    assert "Train" in [item.label for item in student.button]  # the studio is as it was
    home = open_app(page=None)
    assert not home.error


def test_the_class_board_works_on_postgresql(on_postgres):
    teacher = open_class()
    member = classroom.store().join(code_of(teacher), "Ann", session_key="a")
    classroom.store().send_run(member.member_id, a_run(0.77))
    teacher.run()
    ok(teacher)
    assert list(leaderboard(teacher)["student"]) == ["Ann"]
    assert classroom.store().url == on_postgres


@pytest.mark.slow
def test_send_to_class_board_from_a_finished_studio_run(real_data_dir):
    teacher = open_class()
    ann = join(code_of(teacher), "Ann", page=STUDIO)
    for key, value in {
        "train_dataset": "mnist", "train_family": "softmax", "train_optimizer": "sgd",
        "train_learning_rate": 0.5, "train_batch_size": 50, "train_epochs": 1,
        "train_subset_size": 1000,
    }.items():  # fmt: skip
        ann.session_state[key] = value
    ann.button(key="train_start").click().run()
    ann.session_state["train_job"].job.join(120)
    ann.run()
    ok(ann)
    press(ann, "Send to class board")
    assert "On the class board." in texts(ann.caption)
    teacher.run()
    table = leaderboard(teacher)
    assert list(table["student"]) == ["Ann"] and table["learning rate"][0] == 0.5
    entry = classroom.store().board(teacher.session_state["class_teacher"].class_id).entries[0]
    curves, settings = classroom.store().entry_curves(
        entry and teacher.session_state["class_teacher"].class_id, entry.id
    )
    assert settings["train_subset_size"] == "1000" and len(curves["batch_accuracy"]) > 5
    *_, best = classroom.store().handwriting_inputs(
        teacher.session_state["class_teacher"].class_id,
        teacher.session_state["class_teacher"].token,
    )
    assert best is not None and best[1].startswith(
        b"PK"
    )  # its .keras file, for the handwriting test


@pytest.mark.slow
def test_send_a_drawing_with_the_digit_i_meant(real_data_dir):
    from pages.prediction.inputs import CANVAS_RGBA_KEY

    teacher = open_class()
    ann = join(code_of(teacher), "Ann", page=None)
    rgba = np.zeros((280, 280, 4), dtype=np.uint8)
    rgba[40:240, 128:150] = 255  # one white vertical stroke: a 1
    ann.session_state[CANVAS_RGBA_KEY] = rgba
    ann.switch_page(str(ROOT / "pages" / "prediction" / "page.py")).run()
    ann.selectbox(key="prediction_intended").set_value(1).run()
    press(ann, "Send to class as 1")
    access = teacher.session_state["class_teacher"]
    images, labels, names = classroom.store().export_drawings(access.class_id, access.token)
    assert labels.tolist() == [1] and names == ["Ann"]
    assert images.shape == (1, 28, 28) and images.max() == 255 and images[0, :, :5].max() == 0


@pytest.mark.slow
def test_the_handwriting_test_runs_on_the_engine_and_every_board_shows_it(real_data_dir):
    from core.data import load_dataset

    teacher = open_class()
    access = teacher.session_state["class_teacher"]
    ann = classroom.store().join(access.code, "Ann", session_key="a")
    _, (x_test, y_test), _ = load_dataset("mnist")
    for image, label in zip(x_test[:10], y_test[:10]):  # real handwriting the class "drew"
        classroom.store().send_drawing(ann.member_id, image, int(label))
    teacher.run()
    press(teacher, "Run the handwriting test on 10 drawings")
    teacher.session_state["class_handwriting_job"][2].join(300)
    teacher.run()  # the fragment's tick: the result goes into the store, then the page redraws
    teacher.run()
    ok(teacher)
    [quick] = [metric for metric in teacher.metric if metric.label == "Quick model"]
    assert float(quick.value.rstrip("%")) >= 80
    result = classroom.store().board(access.class_id).handwriting
    assert result["drawings"] == 10 and np.array(result["models"][0]["confusion"]).sum() == 10
    student = join(access.code, "Bob", page=BOARD)  # another session's board shows it too
    assert "Quick model" in [metric.label for metric in student.metric]
