"""The CRC-32 of two pieces joined, from the CRC-32 of each (zlib's ``crc32_combine``, which
Python's ``zlib`` does not offer): a cache file patched in place (`cachepatch`) sums each byte
it copies once, and makes both the old part's checksum and the new one's from its pieces'."""

from __future__ import annotations

# The first piece's CRC times x^(8 * len2) modulo the CRC's polynomial, plus the
# second's. Polynomials are 32-bit ints, bit-reflected as CRC-32 has them.
_POLY = 0xEDB88320


def _multmodp(a: int, b: int) -> int:
    """a(x) * b(x) modulo the polynomial."""
    m, p = 1 << 31, 0
    while True:
        if a & m:
            p ^= b
            if not a & (m - 1):
                return p
        m >>= 1
        b = (b >> 1) ^ _POLY if b & 1 else b >> 1


def _x2n_table() -> list[int]:
    table, p = [], 1 << 30  # x^1
    for _ in range(32):
        table.append(p)
        p = _multmodp(p, p)
    return table


_X2N = _x2n_table()
"""x^(2^n) modulo the polynomial."""


def crc32_combine(crc1: int, crc2: int, len2: int) -> int:
    """The CRC-32 of A + B from ``crc1`` (of A), ``crc2`` (of B) and ``len2`` (B's length)."""
    p, k, n = 1 << 31, 3, len2  # x^0; x^(8 * len2) = product of x^(2^(k + bit))
    while n:
        if n & 1:
            p = _multmodp(_X2N[k & 31], p)
        n >>= 1
        k += 1
    return _multmodp(p, crc1) ^ crc2
