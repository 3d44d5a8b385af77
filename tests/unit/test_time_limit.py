"""The extraction time limit ends the block in ExtractionTimeout once it has fired, whatever the block did with it.

The signal's exception lands in whatever code is running: inside a ctypes call into pdfium it comes out as
ctypes' own `ArgumentError` (seen: 3 of 300 extractions of a sample PDF under 0.01–0.3 s limits were reported
`failed` with "ArgumentError: argument 1: ExtractionTimeout: …" instead of quarantined); inside a finalizer it
is printed and dropped.
"""

import ctypes
import time

import pytest

from orchestration.ingest.bounds import ExtractionTimeout, time_limit

LIMIT = 0.05
MESSAGE = "extraction took longer than the limit of 0.05 s"


def wait_for_the_timer() -> None:
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        pass


def test_the_timeout_itself_ends_the_block():
    with pytest.raises(ExtractionTimeout, match=MESSAGE), time_limit(LIMIT):
        wait_for_the_timer()


def test_a_timeout_that_ctypes_wraps_in_an_error_of_its_own_is_still_the_timeout():
    with pytest.raises(ExtractionTimeout, match=MESSAGE) as raised, time_limit(LIMIT):
        try:
            wait_for_the_timer()
        except ExtractionTimeout as error:
            raise ctypes.ArgumentError(f"argument 1: ExtractionTimeout: {error}") from None
    assert isinstance(raised.value.__cause__, ctypes.ArgumentError)


def test_a_timeout_the_block_swallowed_still_ends_it_in_the_timeout():
    finished = False
    with pytest.raises(ExtractionTimeout, match=MESSAGE), time_limit(LIMIT):
        try:
            wait_for_the_timer()
        except ExtractionTimeout:
            pass  # what Python does with an exception raised in a finalizer
        finished = True
    assert finished


def test_a_block_within_the_limit_keeps_its_own_error_and_its_result():
    with pytest.raises(ValueError, match="not a timeout"), time_limit(5):
        raise ValueError("not a timeout")
    with time_limit(5):
        result = 1 + 1
    assert result == 2
