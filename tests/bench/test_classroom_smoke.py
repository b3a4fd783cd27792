"""The classroom benchmark's smoke mode (3 students, 20 s) on a real server: every kind of
student gets answers, nothing fails, and the figures a person reads are printed."""

import re

import pytest

from bench import bench_classroom
from tests.conftest import find_chromium, in_own_thread, missing

pytestmark = pytest.mark.slow


@pytest.fixture
def chromium():
    if find_chromium() is None:
        missing("no Chromium for the benchmark's observer: install Debian's chromium")


def test_smoke_run_answers_every_student_without_errors(real_data_dir, chromium, capsys):
    record = in_own_thread(bench_classroom.smoke)
    printed = capsys.readouterr().out

    for page in ("information", "training", "prediction"):
        assert record.interactions(page), f"no answers on {page}: {printed}"
    assert record.answers[("training", "tick")], "the live panel never ticked"
    assert record.trainings, "the trainer never pressed Train"
    assert record.error_count == 0, record.problems
    assert re.search(r"smoke\.errors: 0\b", printed)
    # the math student types some p that do not sum to 1: the page's sentences are counted
    assert re.search(r"smoke\.error_messages_shown: \d+", printed)
    assert re.search(r"smoke\.information: p50 \d+ / p95 \d+ .*\(n=\d+\)", printed)
    rss = re.search(r"smoke\.rss: (\d+) MB before .*peak (\d+) MB, (\d+) MB after", printed)
    assert rss, printed
    before, peak, after = map(int, rss.groups())
    assert 0 < before <= peak and after > 0
    assert re.search(r"smoke\.browser: input->result p50 \d+", printed), printed
    assert "problem(s)" not in printed.split("smoke.browser:")[1].splitlines()[0]
    assert re.search(
        r"smoke\.cpu: .*the Chromium observer \d+% .*load [\d.]+ at the start", printed
    )
