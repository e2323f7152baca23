"""``chunked``: the one way a long list of ids is split into ``IN (...)`` lists."""

from cockpit.store.idsets import IN_CHUNK, chunked


def test_ids_come_in_order_in_lists_of_at_most_the_size() -> None:
    assert list(chunked([5, 1, 4, 2, 3], 2)) == [[5, 1], [4, 2], [3]]
    assert list(chunked(range(4), 2)) == [[0, 1], [2, 3]]
    assert list(chunked({"b": 1, "a": 2}, 2)) == [["b", "a"]]  # a mapping: its keys


def test_nothing_gives_no_list_and_the_default_is_the_in_chunk() -> None:
    assert list(chunked([])) == []
    assert [len(chunk) for chunk in chunked(range(IN_CHUNK * 2 + 1))] == [IN_CHUNK, IN_CHUNK, 1]
    assert IN_CHUNK == 500
