"""The compiled CSV formatter writes exactly the bytes Arrow's CSV writer writes."""

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socanalysis import classify
from socanalysis import load as loading
from socanalysis._kernels.csvout import CellTable, CodedColumn, IntColumn, TextColumn, format_csv, header_line
from socanalysis._testing.synthetic import make_leads
from socanalysis.errors import ExportError
from socanalysis.present.cells import neutralise_arrow

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# quotes, delimiters, line ends, formula triggers, an apostrophe, multi-byte and NUL characters
TRICKY = st.sampled_from(list('aZ 0"",,\n\r\t=+-@\'é€😀\x00'))
VALUES = st.one_of(st.none(), st.text(TRICKY, max_size=12), st.text(max_size=6))
TEXT_TYPES = st.sampled_from([pa.string(), pa.large_string()])
CODE_TYPES = st.sampled_from([np.int8, np.int16, np.int32, np.int64, np.uint8, np.intp])
SCORES = np.round(np.arange(1001) / 1000, 3)


def arrow_csv(table: pa.Table, header: bool = True) -> bytes:
    # in one chunk per column: pyarrow 26 writes thousands of NUL bytes for a table whose first
    # chunk is empty (pa.table({"a": pa.chunked_array([[], ["x"]])})); the chunks do not change the text
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table.combine_chunks(), sink, pacsv.WriteOptions(include_header=header))
    return sink.getvalue().to_pybytes()


def neutralised(array):
    return neutralise_arrow(pa.table({"x": array})).column("x")


def sliced(draw, values: list, kind) -> pa.Array:
    """``values`` as an array of ``kind`` that is a slice of a longer one."""
    before = draw(st.lists(VALUES, max_size=3))
    after = draw(st.lists(VALUES, max_size=3))
    return pa.array(before + values + after, kind).slice(len(before), len(values))


def text_values(draw, values: list):
    """An Arrow array or chunked array holding ``values``: sliced, in chunks, string or large_string."""
    kind = draw(TEXT_TYPES)
    if draw(st.booleans()):
        return sliced(draw, values, kind)
    cuts = sorted(draw(st.lists(st.integers(0, len(values)), max_size=3)))
    bounds = [0, *cuts, len(values)]
    return pa.chunked_array(
        [sliced(draw, values[a:b], kind) for a, b in zip(bounds[:-1], bounds[1:], strict=True)], kind
    )


@st.composite
def columns(draw):
    """(our column, what Arrow writes for it) pairs, all of one random length."""
    n = draw(st.integers(0, 12))
    out = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["text", "strings", "scores", "ints"]))
        if kind == "text":
            values = draw(st.lists(VALUES, min_size=n, max_size=n))
            array = text_values(draw, values)
            neutralise = draw(st.booleans())
            expected = neutralised(array) if neutralise else array
            out.append((TextColumn(array, neutralise=neutralise), expected))
        elif kind == "strings":
            uniques = draw(st.lists(VALUES, min_size=1, max_size=5))
            codes = np.array(draw(st.lists(st.integers(0, len(uniques) - 1), min_size=n, max_size=n)), np.int64)
            neutralise = draw(st.booleans())
            expected = pa.array([uniques[c] for c in codes], pa.string())
            expected = neutralised(expected) if neutralise else expected
            cells = CellTable.from_strings(uniques, neutralise=neutralise)
            out.append((CodedColumn(cells, codes.astype(draw(CODE_TYPES))), expected))
        elif kind == "scores":
            x = np.round(np.array(draw(st.lists(st.floats(0, 1), min_size=n, max_size=n)), dtype=float), 3)
            missing = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
            codes = np.where(missing, len(SCORES), np.rint(x * 1000)).astype(np.int16)
            cells = CellTable.from_arrow(pa.array([*SCORES, None], pa.float64()))
            out.append((CodedColumn(cells, codes), pa.array(x, pa.float64(), mask=missing)))
        else:
            values = np.array(draw(st.lists(st.integers(-(2**63), 2**63 - 1), min_size=n, max_size=n)), np.int64)
            valid = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
            column = IntColumn(values, valid) if draw(st.booleans()) else IntColumn(values)
            mask = None if column.valid is None else ~valid
            out.append((column, pa.array(values, pa.int64(), mask=mask)))
    return out


NAMES = st.text(TRICKY, max_size=8)


@FAST
@given(columns(), st.data())
def test_rows_and_header_are_the_bytes_arrow_writes(pairs, data):
    names = [f"{data.draw(NAMES)}{i}" for i in range(len(pairs))]
    table = pa.table({name: expected for name, (_, expected) in zip(names, pairs, strict=True)})
    ours = [column for column, _ in pairs]
    assert format_csv(ours).tobytes() == arrow_csv(table, header=False)
    assert format_csv(ours, header=names).tobytes() == arrow_csv(table)


@FAST
@given(st.lists(VALUES, max_size=30), TEXT_TYPES, st.booleans())
def test_one_text_column(values, kind, neutralise):
    array = pa.array(values, kind)
    expected = neutralised(array) if neutralise else array
    assert format_csv([TextColumn(array, neutralise)]).tobytes() == arrow_csv(pa.table({"x": expected}), False)


@FAST
@given(st.lists(NAMES, min_size=1, max_size=6))
def test_header_line_is_arrows_header(names):
    table = pa.table({f"{name}{i}": pa.array([], pa.int64()) for i, name in enumerate(names)})
    assert header_line(table.column_names) == arrow_csv(table)


def test_header_with_quotes_and_commas():
    names = ['say "hi"', "a,b", "line\nend", '"', ""]
    assert header_line(names) == b'"say ""hi""","a,b","line\nend","""",""\n'
    table = pa.table([pa.array([1])] * len(names), names=names)
    assert header_line(names) == arrow_csv(table).split(b"1,1,1,1,1\n")[0]


def test_no_columns_and_no_rows():
    assert format_csv([]).tobytes() == b"" == arrow_csv(pa.table({}))
    assert header_line([]) == b""
    empty = TextColumn(pa.chunked_array([], pa.string()))
    assert format_csv([empty], header=["a"]).tobytes() == b'"a"\n'


def test_cell_tables():
    cells = CellTable.from_strings(["SOC 2", "", None, 'a "b"', "@x", "-1"], neutralise=True)
    assert [cells[i] for i in range(len(cells))] == [b'"SOC 2"', b'""', b"", b'"a ""b"""', b'"\'@x"', b'"\'-1"']
    plain = CellTable.from_strings(["@x"])
    assert plain[0] == b'"@x"'
    numbers = CellTable.from_arrow(pa.array([0.0, 0.5, 0.333, 1.0, None]))
    assert [numbers[i] for i in range(len(numbers))] == [b"0", b"0.5", b"0.333", b"1", b""]
    assert CellTable.from_arrow([1, -2])[1] == b"-2"
    assert len(CellTable([])) == 0 and repr(CellTable([b"x"])) == "CellTable(1 cells)"


def test_wide_codes_pick_the_right_cells():
    cells = CellTable([f"{i}".encode() for i in range(300)])
    codes = np.array([299, 0, 128, 255, 256], np.int16)
    for dtype in (np.int16, np.int32, np.int64, np.uint16):
        assert format_csv([CodedColumn(cells, codes.astype(dtype))]).tobytes() == b"299\n0\n128\n255\n256\n"


def test_fields_short_and_long_and_at_the_end_of_their_buffer():
    """Fields up to 32 bytes are copied as blocks, longer ones in one call; the last text field
    ends where its buffer ends, so it cannot be copied as a block."""
    values = ["x" * k for k in (0, 1, 31, 32, 33, 100)] + ['"' * 40, "é" * 20]
    data = "".join(values).encode()
    offsets = np.cumsum([0] + [len(v.encode()) for v in values]).astype(np.int32)
    text = pa.Array.from_buffers(pa.string(), len(values), [None, pa.py_buffer(offsets), pa.py_buffer(data)])
    codes = np.arange(len(values))[::-1].copy()
    ours = [TextColumn(text), CodedColumn(CellTable.from_strings(values), codes), TextColumn(text)]
    expected = pa.table({"a": text, "b": pa.array([values[c] for c in codes]), "c": text})
    assert format_csv(ours).tobytes() == arrow_csv(expected, False)


def test_classified_leads_as_batch_writes_them():
    """A classified lead list: input columns as text, the output columns by code, as in the batch."""
    df = make_leads(400, seed=3)
    table = pa.Table.from_pandas(df, preserve_index=False)
    table = pa.table({c: table.column(c).cast(pa.string()) for c in table.column_names})
    out = classify(table.to_pandas(types_mapper=loading.ARROW_TEXT.get))
    full = pa.Table.from_arrays([pa.array(out[c].array) for c in out.columns], names=list(out.columns))
    dup = np.arange(len(out)) % 7 == 3
    full = full.append_column("duplicate_of", pa.array(np.arange(len(out)), pa.int64(), mask=~dup))
    ours = []
    for name in out.columns:
        if name in table.column_names or name == "evidence":
            ours.append(TextColumn(full.column(name), neutralise=True))
        elif name.endswith("_score"):
            codes = np.rint(out[name].to_numpy() * 1000).astype(np.int64)
            ours.append(CodedColumn(CellTable.from_arrow(SCORES), codes))
        else:
            codes, uniques = pd.factorize(out[name], use_na_sentinel=False)
            cells = CellTable.from_strings([None if pd.isna(u) else u for u in uniques], neutralise=True)
            ours.append(CodedColumn(cells, codes))
    ours.append(IntColumn(np.arange(len(out)), valid=dup))
    expected = arrow_csv(neutralise_arrow(full))
    assert b"\"'" in expected  # some cells were neutralised
    assert format_csv(ours, header=full.column_names).tobytes() == expected


# --------------------------------------------------------------------------- bad input
def test_a_code_outside_the_cell_table():
    cells = CellTable.from_strings(["a", "b"])
    with pytest.raises(ExportError, match=r"column 1: code 2 in row 3 is outside its cell table of 2 cells"):
        format_csv([IntColumn(np.arange(5)), CodedColumn(cells, np.array([0, 1, 1, 2, 0]))])
    with pytest.raises(ExportError, match=r"code -1 in row 0"):
        format_csv([CodedColumn(cells, np.array([-1], np.int8))])


def test_a_code_outside_the_table_in_a_later_chunk():
    cells = CellTable.from_strings(["a"])
    text = TextColumn(pa.chunked_array([["x", "y"], ["z"]]))
    with pytest.raises(ExportError, match=r"code 5 in row 2"):
        format_csv([text, CodedColumn(cells, np.array([0, 0, 5]))])


def test_columns_of_different_lengths():
    with pytest.raises(ExportError, match=r"different lengths: \[2, 3\]"):
        format_csv([TextColumn(pa.array(["a", "b"])), IntColumn(np.arange(3))])
    with pytest.raises(ExportError, match="2 header names for 1 columns"):
        format_csv([IntColumn(np.arange(3))], header=["a", "b"])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: TextColumn(pa.array([1, 2])), "string or large_string values, not int64"),
        (lambda: TextColumn(["a"]), "takes a pyarrow array, not list"),
        (lambda: CodedColumn(CellTable([b"x"]), np.array([0.0])), "integer array, not float64"),
        (lambda: CodedColumn([b"x"], np.array([0])), "takes a CellTable, not list"),
        (lambda: IntColumn(np.array([1, 2]), valid=np.array([True])), "bool array of 2 values"),
        (lambda: IntColumn(np.array([[1]])), "one-dimensional integer array"),
        (lambda: CellTable(["x"]), "cell 0 is a str"),
        (lambda: CellTable.from_arrow(pa.array(["one", "two\nlines"])), "2 values came out as 3 lines"),
        (lambda: format_csv([np.arange(3)]), "not ndarray"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(make, message):
    with pytest.raises(ExportError, match=message.replace("[", r"\[")):
        make()


def test_values_changed_after_they_were_measured(monkeypatch):
    """A field that no longer fits is refused instead of written past the end."""
    from socanalysis._kernels import csvtext

    codes = np.array([0, 0, 0])
    column = CodedColumn(CellTable([b"x", b"longer"]), codes)
    measure = csvtext.measure

    def measure_then_change(*args):
        result = measure(*args)
        column.codes[1] = 1
        return result

    monkeypatch.setattr(csvtext, "measure", measure_then_change)
    with pytest.raises(ExportError, match="changed while they were being written"):
        format_csv([column])


def test_integers_at_the_ends_of_int64():
    values = np.array([-(2**63), 2**63 - 1, 0, -1, 9, 10, -10, 99, 100], np.int64)
    expected = b"-9223372036854775808\n9223372036854775807\n0\n-1\n9\n10\n-10\n99\n100\n"
    assert format_csv([IntColumn(values)]).tobytes() == expected == arrow_csv(pa.table({"x": values}), False)


def test_the_text_is_written_into_the_buffer_the_caller_gives():
    column = TextColumn(pa.array(["a", 'say "hi"', None]))
    expected = format_csv([column], header=["h"])
    given = []

    def allocate(size):
        buf = np.full(size + 10, 255, dtype=np.uint8)
        given.append(buf)
        return buf

    out = format_csv([column], header=["h"], allocate=allocate)
    assert out.tobytes() == expected.tobytes() and out.base is given[0]


def _read_only(n):
    buf = np.zeros(n, np.uint8)
    buf.flags.writeable = False
    return buf


@pytest.mark.parametrize(
    "allocate",
    [lambda n: np.zeros(n - 1, np.uint8), lambda n: np.zeros(n, np.int16), _read_only],
    ids=["too small", "not bytes", "read-only"],
)
def test_a_buffer_too_small_or_of_another_kind_is_refused(allocate):
    with pytest.raises(ExportError, match=r"allocate\(\d+\) must give a writable uint8 buffer"):
        format_csv([TextColumn(pa.array(["a"]))], allocate=allocate)
