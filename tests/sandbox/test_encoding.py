"""The sandbox's answers are compact UTF-8 JSON, whichever encoder writes them."""
import json

import pytest

from pco_sandbox.jsonapi import api_response

DOCUMENTS = {
    "a page": {"data": [{"type": "Person", "id": "1", "attributes": {"name": "Zoë 🙂"}}],
               "meta": {"total_count": 1}},
    "an integer past 64 bits": {"data": {"type": "Person", "id": "1",
                                         "attributes": {"n": 2**70}}},
}


@pytest.mark.parametrize("document", DOCUMENTS.values(), ids=DOCUMENTS.keys())
def test_an_answer_is_what_pythons_json_would_write(document):
    expected = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert api_response(document).get_data() == expected
