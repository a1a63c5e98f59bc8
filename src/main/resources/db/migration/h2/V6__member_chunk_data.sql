-- A chunk's members live apart from its bookkeeping: claiming chunks for a batch (member_chunk.batch_id) then
-- rewrites small rows instead of the members with them, and the batcher's scans read no member data.
-- (V6, not V5: V5 is taken by another change under way.)
create table member_chunk_data (
    chunk_id bigint              primary key references member_chunk (id) on delete cascade,
    members  varbinary(16777216) not null
);
insert into member_chunk_data (chunk_id, members) select id, members from member_chunk;
alter table member_chunk drop column members;
