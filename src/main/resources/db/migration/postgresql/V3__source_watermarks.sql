-- How far a polling source (e.g. Salesforce's SystemModstamp) has been durably stored.
create table source_watermark (
    source_name varchar(100) primary key,
    watermark   varchar(64)  not null,
    updated_at  timestamp with time zone not null
);
