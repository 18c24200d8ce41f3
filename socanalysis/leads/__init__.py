"""Leads: lead-list hygiene (duplicates, existing clients) and the engines that classify large
files chunk by chunk: the streaming batch engine on one machine, Dask partitions on a cluster.

What the other rooms may use is listed here; each name is imported on first use, so that the
command line can start reading a file before pandas and the classifier load.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submodules=["dask"],
    submod_attrs={
        "hygiene": ["MATCH_COLUMNS", "ClientIndex"],
        "keys": ["host_hashes", "name_hashes", "registered_domain", "text_hashes"],
        "streaming": ["CHUNK_BYTES", "OUTPUT_FORMATS", "STREAMED_TEXT", "CsvReading", "load_compiler"],
        "batch": ["classify_file"],
        "warm": ["warm_up"],
    },
)
