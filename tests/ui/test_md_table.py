"""ui.text.md_table: the one Markdown-table builder (Playground's chain rule, Jacobians)."""

from ui.text import md_table


def test_columns_align_by_letter_and_default_to_the_right() -> None:
    lines = md_table(
        ("link", "what", "mean", "sample 1"), [("δ2[0]", "the error", "0.5", "-1")], "ll"
    ).splitlines()
    assert lines[0] == "| link | what | mean | sample 1 |"
    assert lines[1] == "|---|---|---:|---:|"
    assert lines[2] == "| δ2[0] | the error | 0.5 | -1 |"


def test_a_pipe_in_a_cell_does_not_start_a_new_column() -> None:
    table = md_table(("a", "b"), [("|w|", "x")])
    assert table.splitlines()[2] == "| \\|w\\| | x |"
