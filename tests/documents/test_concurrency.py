"""BILL-09 under concurrent clicks: ten requests at once for the original give exactly one
original; ten at once for copies give exactly two copies (real threads, real PostgreSQL
transactions, the conditional UPDATE deciding)."""

import threading

import pytest
from django.db import connection

from portal.documents.models import DocumentKind, DocumentSeries, SignedDocument
from portal.documents.services import (
    DocumentError,
    document_issue_copy,
    document_issue_original,
    document_series_open,
)
from portal.documents.signing import signature_level
from tests.documents.helpers import letter_content

pytestmark = pytest.mark.django_db(transaction=True)
CLICKS = 10


def _at_once(issue, series) -> list[str]:
    barrier = threading.Barrier(CLICKS)
    outcomes = []

    def click():
        try:
            barrier.wait()
            document = issue(series=series, content=letter_content())
            outcomes.append(f"issued:{document.copy_number}")
        except DocumentError as error:
            outcomes.append(error.code)
        except Exception as error:  # recorded so that the assertion shows it
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_bill_09_ten_clicks_at_once_give_one_original_and_at_most_two_copies():
    """BILL-09: the limits hold under concurrent clicks."""
    signature_level()  # the sandbox keys exist before the threads start
    series = document_series_open(
        kind=DocumentKind.RECEIPT, subject_app="billing", subject_id="race", number="R-RACE"
    )
    originals = _at_once(document_issue_original, series)
    assert sorted(originals) == ["issued:0"] + ["original_issued"] * (CLICKS - 1)
    copies = _at_once(document_issue_copy, series)
    assert sorted(copies) == ["copies_used"] * (CLICKS - 2) + ["issued:1", "issued:2"]
    series.refresh_from_db()
    assert (series.original_issued, series.copies_issued) == (True, 2)
    assert sorted(
        SignedDocument.objects.filter(series=series).values_list("copy_number", flat=True)
    ) == [0, 1, 2]
    assert DocumentSeries.objects.count() == 1
