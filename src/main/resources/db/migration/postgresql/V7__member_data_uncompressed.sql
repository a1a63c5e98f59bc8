-- Members are stored as they are, not compressed: PostgreSQL compresses large values with pglz by default, which
-- costs its server about 20 µs of CPU per member on hex hashes that barely compress (a quarter smaller), and
-- decompressing them again for the upload. The rows live minutes; the disk they take back is worth less than
-- that CPU (BENCHMARKS.md, "PostgreSQL").
alter table member_chunk_data alter column members set storage external;
