"""One UTC timestamp format for the whole service: versions, translations, human entries, embargoes, TMX."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from translator.editorial.publication import Publication, parse_rfc3339
from translator.text.timestamps import Precision, utc_timestamp

MAY_DAY = datetime(2024, 5, 1, 12, 5, tzinfo=timezone.utc).timestamp()


@pytest.mark.parametrize(("moment", "precision", "text"), [
    (MAY_DAY, Precision.MILLISECONDS, "2024-05-01T12:05:00.000Z"),
    (MAY_DAY + 0.25, Precision.MILLISECONDS, "2024-05-01T12:05:00.250Z"),
    (MAY_DAY + 0.9999, Precision.MILLISECONDS, "2024-05-01T12:05:00.999Z"),  # truncated, never rounded up
    (MAY_DAY + 0.75, Precision.SECONDS, "2024-05-01T12:05:00Z"),
    (0, Precision.MILLISECONDS, "1970-01-01T00:00:00.000Z"),
    (datetime(2024, 5, 1, 14, 5, tzinfo=timezone(timedelta(hours=2))), Precision.SECONDS, "2024-05-01T12:05:00Z"),
])
def test_a_moment_is_written_in_utc_with_a_z(moment, precision, text):
    assert utc_timestamp(moment, precision) == text


def test_without_a_moment_it_is_now():
    before = datetime.now(timezone.utc).replace(microsecond=0)
    written = datetime.fromisoformat(utc_timestamp(precision=Precision.SECONDS).replace("Z", "+00:00"))
    assert before <= written <= datetime.now(timezone.utc)


def test_an_embargo_reads_back_what_it_writes():
    embargo = Publication(published=True, embargo_until=MAY_DAY)
    assert embargo.to_dict()["embargo_until"] == "2024-05-01T12:05:00Z"
    assert parse_rfc3339(embargo.to_dict()["embargo_until"]) == MAY_DAY
