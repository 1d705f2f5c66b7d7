"""Work off the UI thread: results and errors arrive in the UI thread as signals."""
import threading

from PySide6.QtCore import QObject

from quotedesk.gui.worker import submit


class Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.got = []

    def done(self, tag, result):
        self.got.append(("done", tag, result, threading.current_thread() is threading.main_thread()))

    def failed(self, tag, message):
        self.got.append(("failed", tag, message, threading.current_thread() is threading.main_thread()))


def work(x):
    assert threading.current_thread() is not threading.main_thread()
    if x < 0:
        raise ValueError("negative input")
    return x * 2


def test_result_and_error_come_back_to_the_ui_thread(qtbot):
    r = Receiver()
    submit(work, 21, tag="a", on_done=r.done, on_error=r.failed)
    submit(work, -1, tag="b", on_done=r.done, on_error=r.failed)
    qtbot.waitUntil(lambda: len(r.got) == 2, timeout=5000)
    got = sorted(r.got, key=lambda g: g[1])
    assert got[0] == ("done", "a", 42, True)
    assert got[1][0:2] == ("failed", "b") and "negative input" in got[1][2] and got[1][3]
