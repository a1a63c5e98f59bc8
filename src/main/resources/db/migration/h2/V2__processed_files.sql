-- How far each dropped file has been stored, written in the same transaction as the members read up to
-- there: a file is never stored twice, and after a crash its reading resumes behind the last stored record.
-- A file is its name, size and modification time (as the server reports them), per source route: a new
-- file that reuses an old name is a new file.
create table processed_file (
    source        varchar(100)  not null,
    file_name     varchar(1000) not null,
    file_size     bigint        not null,
    file_modified bigint        not null,
    -- the line of the last record stored (records are read in line order); 0 before the first
    last_line     bigint        not null,
    -- records read up to there, stored or rejected
    records       bigint        not null,
    -- every record of the file is stored: only the move to .done/ may be missing
    completed     boolean       not null,
    updated_at    timestamp with time zone not null,
    primary key (source, file_name, file_size, file_modified)
);
